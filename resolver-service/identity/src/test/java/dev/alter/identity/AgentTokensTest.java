package dev.alter.identity;

import static dev.alter.identity.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.alter.contract.proof.ProofKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentTokensTest {
  /**
   * The contract's pinned agent-token vector (ProofKeyTest): the token, its key id and public key.
   */
  private static final String PROOF_TOKEN = "alter_key_agent_" + "B".repeat(43);

  private static final String PROOF_TOKEN_KEY_ID = "5ce42d85f0c3f962373a12ebe164d5ef";
  private static final String PROOF_TOKEN_PUBLIC_KEY =
      "040cb7680f3816cd9787e03c2ffed86a73bee0c1b8271fe67d35693aa978d32c13"
          + "dfcb2dbb1b04c5b1ba8c9ec11cf4b5159bb2e27cf483c4ceac0f2132d9b6778a";

  private final Map<String, StoredAgentToken> store = new HashMap<>();
  private final List<String> lookedUp = new ArrayList<>();
  private final AgentTokenVerifier verifier =
      AgentTokenVerifier.stored(
          keyId -> {
            lookedUp.add(keyId);
            return Optional.ofNullable(store.get(keyId));
          });

  @Test
  void tokensCarryThePrefixAnd32RandomBytes() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      IssuedAgentToken issued = AgentTokens.issue("agt_build");
      assertThat(issued.token())
          .startsWith("alter_key_agent_")
          .matches("alter_key_agent_[A-Za-z0-9_-]{43}");
      assertThat(
              Base64.getUrlDecoder().decode(issued.token().substring("alter_key_agent_".length())))
          .hasSize(32);
      assertThat(seen.add(issued.token())).isTrue();
    }
  }

  @Test
  void toStringHidesTheToken() throws Exception {
    IssuedAgentToken issued = AgentTokens.issue("agt_build");

    assertThat(issued.toString())
        .contains("agt_build")
        .doesNotContain(issued.token())
        .doesNotContain(issued.token().substring(16));
  }

  @Test
  void liveTokenVerifiesAsItsAgentAndTheStoreSeesOnlyTheProofKeyId() throws Exception {
    String token = store("agt_build", false);

    VerifiedAgent agent = verifier.verify(token);

    assertThat(agent.agentId()).isEqualTo("agt_build");
    assertThat(agent.tokenHash()).isEqualTo(AgentTokens.hash(token));
    assertThat(lookedUp).containsExactly(ProofKey.keyIdOf(token));
  }

  @Test
  void aSignedProofVerifiesAsItsAgentWithoutTheToken() throws Exception {
    store.put(
        PROOF_TOKEN_KEY_ID,
        new StoredAgentToken("agt_build", PROOF_TOKEN_KEY_ID, PROOF_TOKEN_PUBLIC_KEY, false));
    AgentTokenProof proof = proof(PROOF_TOKEN, "signed string");

    assertThat(verifier.verifyProof(proof).agentId()).isEqualTo("agt_build");
    assertThat(lookedUp).containsExactly(PROOF_TOKEN_KEY_ID);
  }

  @Test
  void aProofOverAnotherStringOrByAnotherTokenIsRefused() {
    store.put(
        PROOF_TOKEN_KEY_ID,
        new StoredAgentToken("agt_build", PROOF_TOKEN_KEY_ID, PROOF_TOKEN_PUBLIC_KEY, false));
    AgentTokenProof proof = proof(PROOF_TOKEN, "signed string");
    AgentTokenProof otherString =
        new AgentTokenProof(proof.keyId(), "another string", proof.signature());
    IdentityRejected rejected =
        catchThrowableOfType(IdentityRejected.class, () -> verifier.verifyProof(otherString));
    assertThat(rejected.reason()).isEqualTo(RejectionReason.SIGNATURE_INVALID);

    // signed by another token but naming this one's key id
    AgentTokenProof impostor =
        new AgentTokenProof(
            PROOF_TOKEN_KEY_ID,
            "signed string",
            proof(AgentTokens.issue("agt_other").token(), "signed string").signature());
    assertThat(
            catchThrowableOfType(IdentityRejected.class, () -> verifier.verifyProof(impostor))
                .reason())
        .isEqualTo(RejectionReason.SIGNATURE_INVALID);

    AgentTokenProof unknown = proof(AgentTokens.issue("agt_other").token(), "signed string");
    assertThat(
            catchThrowableOfType(IdentityRejected.class, () -> verifier.verifyProof(unknown))
                .reason())
        .isEqualTo(RejectionReason.AGENT_TOKEN_UNKNOWN);
  }

  @Test
  void aProofOfARevokedTokenIsRefused() {
    store.put(
        PROOF_TOKEN_KEY_ID,
        new StoredAgentToken("agt_build", PROOF_TOKEN_KEY_ID, PROOF_TOKEN_PUBLIC_KEY, true));
    assertThat(
            catchThrowableOfType(
                    IdentityRejected.class, () -> verifier.verifyProof(proof(PROOF_TOKEN, "s")))
                .reason())
        .isEqualTo(RejectionReason.AGENT_TOKEN_REVOKED);
  }

  @Test
  void revokedTokenIsRejectedWithItsAgentAudited() {
    String token = store("agt_build", true);

    IdentityRejected rejected =
        assertRejected(() -> verifier.verify(token), token, RejectionReason.AGENT_TOKEN_REVOKED);
    assertThat(rejected.subject()).contains("agent:agt_build");
  }

  @Test
  void unknownTokenIsRejected() {
    store("agt_build", false);
    String other = AgentTokens.issue("agt_build").token();

    assertRejected(() -> verifier.verify(other), other, RejectionReason.AGENT_TOKEN_UNKNOWN);
  }

  @Test
  void aLooseStoreMatchCannotLetAnotherTokenThrough() {
    String real = AgentTokens.issue("agt_build").token();
    StoredAgentToken row =
        new StoredAgentToken("agt_build", ProofKey.keyIdOf(real), PROOF_TOKEN_PUBLIC_KEY, false);
    // A store whose lookup ignores (part of) the hash, e.g. a case-insensitive or prefix match.
    AgentTokenVerifier loose = AgentTokenVerifier.stored(keyId -> Optional.of(row));
    String forged = AgentTokens.issue("agt_build").token();

    assertRejected(() -> loose.verify(forged), forged, RejectionReason.AGENT_TOKEN_UNKNOWN);
  }

  @Test
  void somethingElseIsMalformed() {
    IdentityRejected prefixOnly =
        catchThrowableOfType(IdentityRejected.class, () -> verifier.verify("alter_key_agent_"));
    assertThat(prefixOnly.reason()).isEqualTo(RejectionReason.MALFORMED);
    for (String bad :
        List.of(
            "alter_key_app_" + "a".repeat(43),
            "alter_key_agent_" + "a".repeat(300),
            "eyJhbGciOiJSUzI1NiJ9.e30.sig")) {
      assertRejected(() -> verifier.verify(bad), bad, RejectionReason.MALFORMED);
    }
    assertThat(lookedUp).as("malformed input never reaches the store").isEmpty();
  }

  private String store(String agentId, boolean revoked) {
    IssuedAgentToken issued = AgentTokens.issue(agentId);
    String keyId = ProofKey.keyIdOf(issued.token());
    store.put(keyId, new StoredAgentToken(agentId, keyId, PROOF_TOKEN_PUBLIC_KEY, revoked));
    return issued.token();
  }

  /** What the agent sends instead of the token: a request's signed string and its agentSig. */
  private static AgentTokenProof proof(String token, String signedString) {
    try {
      java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
      s.initSign(ProofKey.fromKey(token).privateKey());
      s.update(signedString.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return new AgentTokenProof(
          ProofKey.keyIdOf(token),
          signedString,
          Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign()));
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
