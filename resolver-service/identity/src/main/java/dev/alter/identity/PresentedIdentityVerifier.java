package dev.alter.identity;

/**
 * The service's one entry point for an {@code alter-identity} value: agent tokens go to the {@link
 * AgentTokenVerifier}, anything else is treated as a JWT and routed by issuer through {@link
 * IdentityProviders}.
 */
public final class PresentedIdentityVerifier {
  private final IdentityProviders identityProviders;
  private final AgentTokenVerifier agentTokens;

  public PresentedIdentityVerifier(
      IdentityProviders identityProviders, AgentTokenVerifier agentTokens) {
    this.identityProviders = identityProviders;
    this.agentTokens = agentTokens;
  }

  public AuthenticatedIdentity verify(String presented) throws IdentityRejected {
    if (AgentTokens.isAgentToken(presented)) {
      return agentTokens.verify(presented);
    }
    return identityProviders.verify(presented);
  }

  public AuthenticatedIdentity verify(PresentedIdentity presented) throws IdentityRejected {
    return presented.agentProof() != null
        ? agentTokens.verifyProof(presented.agentProof())
        : verify(presented.token());
  }
}
