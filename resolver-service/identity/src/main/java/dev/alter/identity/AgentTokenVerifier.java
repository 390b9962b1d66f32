package dev.alter.identity;

import java.util.Optional;

/** Verifies a managed agent's {@code alter_key_agent_…} token. */
public interface AgentTokenVerifier {

  /** The agent holding {@code token}; rejected when unknown, revoked or not an agent token. */
  VerifiedAgent verify(String token) throws IdentityRejected;

  /**
   * Finds a stored token by its hash. The service backs this with a JDBC query on an indexed
   * hash column; it runs on every resolve, so revocation applies at the next request.
   */
  @FunctionalInterface
  interface Lookup {
    Optional<StoredAgentToken> findByHash(String tokenHash);
  }

  /** The verifier over a store lookup. */
  static AgentTokenVerifier hashed(Lookup lookup) {
    return new HashedAgentTokenVerifier(lookup);
  }
}
