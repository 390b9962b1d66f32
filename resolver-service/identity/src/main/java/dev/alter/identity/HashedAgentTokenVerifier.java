package dev.alter.identity;

import java.util.Optional;

/**
 * Agent tokens checked against stored SHA-256 hashes. The store finds the row by hash; the hash it
 * returns is compared again in constant time, so a lookup that matches loosely (a collation that
 * ignores case, a prefix index) can never let a different token through.
 */
final class HashedAgentTokenVerifier implements AgentTokenVerifier {
  private final Lookup lookup;

  HashedAgentTokenVerifier(Lookup lookup) {
    this.lookup = lookup;
  }

  @Override
  public VerifiedAgent verify(String token) throws IdentityRejected {
    if (!AgentTokens.isAgentToken(token) || token.length() > AgentTokens.MAX_CHARS
        || token.length() <= AgentTokens.PREFIX.length()) {
      throw IdentityRejected.of(RejectionReason.MALFORMED, null, "not an alter_key_agent_… token");
    }
    String hash = AgentTokens.hash(token);
    Optional<StoredAgentToken> stored = lookup.findByHash(hash);
    if (stored.isEmpty() || !TokenDigest.equal(stored.get().tokenHash(), hash)) {
      throw IdentityRejected.of(RejectionReason.AGENT_TOKEN_UNKNOWN, null, "no agent holds this token");
    }
    if (stored.get().revoked()) {
      throw new IdentityRejected(RejectionReason.AGENT_TOKEN_REVOKED, null, "agent:" + stored.get().agentId(),
          "the agent token was revoked", null);
    }
    return new VerifiedAgent(stored.get().agentId(), hash);
  }
}
