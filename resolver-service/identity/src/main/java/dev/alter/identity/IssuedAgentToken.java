package dev.alter.identity;

/**
 * A newly issued agent token. {@link #token()} is shown to the operator once and never stored; the
 * service keeps its proof key. {@code toString()} omits the token.
 */
public record IssuedAgentToken(String agentId, String token) {

  @Override
  public String toString() {
    return "IssuedAgentToken{" + agentId + ", token=<shown once>}";
  }
}
