package dev.alter.identity;

/**
 * What a resolve presents as its identity: an {@code alter-identity} value (a JWT or an agent
 * token) or a signed {@link AgentTokenProof}. Exactly one of the two is set.
 */
public record PresentedIdentity(String token, AgentTokenProof agentProof) {

  public static PresentedIdentity token(String token) {
    return new PresentedIdentity(token, null);
  }

  public static PresentedIdentity agentProof(AgentTokenProof proof) {
    return new PresentedIdentity(null, proof);
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return agentProof != null ? agentProof.toString() : "PresentedIdentity{token=[redacted]}";
  }
}
