package dev.alter.identity;

import dev.alter.contract.proof.ProofKey;
import dev.alter.contract.proof.RequestSigning;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * Agent tokens checked against their stored proof keys. A presented token is looked up by its proof
 * key id (a one-way derivation of the token) and the id the store returns is compared again in
 * constant time, so a lookup that matches loosely (a collation that ignores case, a prefix index)
 * can never let a different token through. A proof is checked against the stored public key.
 */
final class StoredAgentTokenVerifier implements AgentTokenVerifier {
  private final Lookup lookup;

  StoredAgentTokenVerifier(Lookup lookup) {
    this.lookup = lookup;
  }

  @Override
  public VerifiedAgent verify(String token) throws IdentityRejected {
    if (!AgentTokens.isAgentToken(token)
        || token.length() > AgentTokens.MAX_CHARS
        || token.length() <= AgentTokens.PREFIX.length()) {
      throw IdentityRejected.of(RejectionReason.MALFORMED, null, "not an alter_key_agent_… token");
    }
    String keyId = ProofKey.keyIdOf(token);
    Optional<StoredAgentToken> stored = lookup.findByProofKeyId(keyId);
    if (stored.isEmpty() || !TokenDigest.equal(stored.get().proofKeyId(), keyId)) {
      throw IdentityRejected.of(
          RejectionReason.AGENT_TOKEN_UNKNOWN, null, "no agent holds this token");
    }
    return live(stored.get(), AgentTokens.hash(token));
  }

  @Override
  public VerifiedAgent verifyProof(AgentTokenProof proof) throws IdentityRejected {
    Optional<StoredAgentToken> stored = lookup.findByProofKeyId(proof.keyId());
    if (stored.isEmpty() || !TokenDigest.equal(stored.get().proofKeyId(), proof.keyId())) {
      throw IdentityRejected.of(
          RejectionReason.AGENT_TOKEN_UNKNOWN, null, "no agent holds the token this proof names");
    }
    boolean valid;
    try {
      valid =
          RequestSigning.verify(
              ProofKey.publicKeyFromHex(stored.get().publicKey()),
              proof.signedString(),
              proof.signature());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "stored public key of agent " + stored.get().agentId() + " is unusable", e);
    }
    if (!valid) {
      throw new IdentityRejected(
          RejectionReason.SIGNATURE_INVALID,
          null,
          "agent:" + stored.get().agentId(),
          "the agent token proof does not verify",
          null);
    }
    // the proof key id stands in for the token's hash: both name one token and neither reveals it
    return live(stored.get(), proof.keyId());
  }

  private static VerifiedAgent live(StoredAgentToken stored, String cacheKey)
      throws IdentityRejected {
    if (stored.revoked()) {
      throw new IdentityRejected(
          RejectionReason.AGENT_TOKEN_REVOKED,
          null,
          "agent:" + stored.agentId(),
          "the agent token was revoked",
          null);
    }
    return new VerifiedAgent(stored.agentId(), cacheKey);
  }
}
