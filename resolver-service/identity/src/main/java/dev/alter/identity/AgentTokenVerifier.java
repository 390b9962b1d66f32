package dev.alter.identity;

import java.util.Optional;

/** Verifies a managed agent's {@code alter_key_agent_…} token, or its proof of holding one. */
public interface AgentTokenVerifier {

  /** The agent holding {@code token}; rejected when unknown, revoked or not an agent token. */
  VerifiedAgent verify(String token) throws IdentityRejected;

  /**
   * The agent whose token signed {@code proof}; rejected when unknown, revoked or not its
   * signature.
   */
  VerifiedAgent verifyProof(AgentTokenProof proof) throws IdentityRejected;

  /**
   * Finds a stored token by its proof key id. The service backs this with a JDBC query on an
   * indexed column; it runs on every resolve, so revocation applies at the next request.
   */
  @FunctionalInterface
  interface Lookup {
    Optional<StoredAgentToken> findByProofKeyId(String proofKeyId);
  }

  /** The verifier over a store lookup. */
  static AgentTokenVerifier stored(Lookup lookup) {
    return new StoredAgentTokenVerifier(lookup);
  }
}
