package dev.alter.identity;

import static dev.alter.identity.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
  private final Map<String, StoredAgentToken> store = new HashMap<>();
  private final List<String> lookedUp = new ArrayList<>();
  private final AgentTokenVerifier verifier = AgentTokenVerifier.hashed(hash -> {
    lookedUp.add(hash);
    return Optional.ofNullable(store.get(hash));
  });

  @Test
  void tokensCarryThePrefixAnd32RandomBytes() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      IssuedAgentToken issued = AgentTokens.issue("agt_build");
      assertThat(issued.token()).startsWith("alter_key_agent_").matches("alter_key_agent_[A-Za-z0-9_-]{43}");
      assertThat(Base64.getUrlDecoder().decode(issued.token().substring("alter_key_agent_".length()))).hasSize(32);
      assertThat(seen.add(issued.token())).isTrue();
    }
  }

  @Test
  void onlyTheHashIsMeantForStorageAndToStringHidesTheToken() throws Exception {
    IssuedAgentToken issued = AgentTokens.issue("agt_build");

    assertThat(issued.tokenHash()).isEqualTo(TokenVerifierTest.sha256Hex(issued.token())).matches("[0-9a-f]{64}");
    assertThat(issued.toString()).contains("agt_build").doesNotContain(issued.token())
        .doesNotContain(issued.token().substring(16));
  }

  @Test
  void liveTokenVerifiesAsItsAgentAndTheStoreSeesOnlyTheHash() throws Exception {
    String token = store("agt_build", false);

    VerifiedAgent agent = verifier.verify(token);

    assertThat(agent.agentId()).isEqualTo("agt_build");
    assertThat(agent.tokenHash()).isEqualTo(AgentTokens.hash(token));
    assertThat(lookedUp).containsExactly(AgentTokens.hash(token));
  }

  @Test
  void revokedTokenIsRejectedWithItsAgentAudited() {
    String token = store("agt_build", true);

    IdentityRejected rejected = assertRejected(() -> verifier.verify(token), token, RejectionReason.AGENT_TOKEN_REVOKED);
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
    StoredAgentToken row = new StoredAgentToken("agt_build", AgentTokens.hash(real), false);
    // A store whose lookup ignores (part of) the hash, e.g. a case-insensitive or prefix match.
    AgentTokenVerifier loose = AgentTokenVerifier.hashed(hash -> Optional.of(row));
    String forged = AgentTokens.issue("agt_build").token();

    assertRejected(() -> loose.verify(forged), forged, RejectionReason.AGENT_TOKEN_UNKNOWN);
  }

  @Test
  void somethingElseIsMalformed() {
    IdentityRejected prefixOnly = catchThrowableOfType(IdentityRejected.class, () -> verifier.verify("alter_key_agent_"));
    assertThat(prefixOnly.reason()).isEqualTo(RejectionReason.MALFORMED);
    for (String bad : List.of("alter_key_app_" + "a".repeat(43),
        "alter_key_agent_" + "a".repeat(300), "eyJhbGciOiJSUzI1NiJ9.e30.sig")) {
      assertRejected(() -> verifier.verify(bad), bad, RejectionReason.MALFORMED);
    }
    assertThat(lookedUp).as("malformed input never reaches the store").isEmpty();
  }

  private String store(String agentId, boolean revoked) {
    IssuedAgentToken issued = AgentTokens.issue(agentId);
    store.put(issued.tokenHash(), new StoredAgentToken(agentId, issued.tokenHash(), revoked));
    return issued.token();
  }
}
