package dev.alter.identity;

/**
 * A newly issued agent token. {@link #token()} is shown to the operator once and never stored;
 * {@link #tokenHash()} is what the service keeps. {@code toString()} omits the token.
 */
public record IssuedAgentToken(String agentId, String token, String tokenHash) {

  @Override
  public String toString() {
    return "IssuedAgentToken{" + agentId + ", token=<shown once>}";
  }
}
