package dev.alter.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

/**
 * Issue 5's attack set, each through {@link GrantAccessCheck} — the one call the resolve path makes
 * — so every attack is shown to end in a denial with its stable code and reason, and no denial
 * repeats the token.
 */
class AttackSetTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private static final String PARTNER_ISSUER = "https://login.partner.test";

  private static RSAKey corpRsa;
  private static ECKey corpEc;
  private static RSAKey partnerRsa;
  private static RSAKey attackerRsa;
  private static ECKey attackerEc;
  private static JwksServer corpJwks;
  private static JwksServer attackerJwks;

  private static final GrantPrincipal ALICE = new GrantPrincipal.User("alice", "idp_corp");
  private static final GrantPrincipal OPS = new GrantPrincipal.Group("ops", "idp_corp");
  private static final GrantPrincipal ALICE_AT_PARTNER =
      new GrantPrincipal.User("alice", "idp_partner");
  private static final GrantPrincipal BUILD_AGENT = new GrantPrincipal.Agent("agt_build");

  private final Map<String, StoredAgentToken> agentTokenStore = new HashMap<>();
  private IdentityProviders providers;
  private GrantAccessCheck check;
  private String buildToken;
  private String deployToken;
  private String revokedToken;

  @BeforeAll
  static void keysAndServers() {
    corpRsa = TestKeys.rsa("rsa-1");
    corpEc = TestKeys.ec("ec-1");
    partnerRsa = TestKeys.rsa("partner-1");
    attackerRsa = TestKeys.rsa("attacker-1");
    attackerEc = TestKeys.ec("attacker-ec");
    corpJwks = JwksServer.start().publish(corpRsa, corpEc);
    attackerJwks = JwksServer.start().publish(attackerRsa, attackerEc);
  }

  @AfterAll
  static void stopServers() {
    corpJwks.close();
    attackerJwks.close();
  }

  @BeforeEach
  void resolver() {
    MutableClock clock = MutableClock.of(NOW, ZoneOffset.UTC);
    providers = new IdentityProviders(RemoteJwksKeySourceTest.policy(), clock);
    providers.put(
        IdentityProviderConfig.builder()
            .idpId("idp_corp")
            .issuer(Tokens.ISSUER)
            .jwksUrl(corpJwks.url())
            .audiences(Tokens.AUDIENCE)
            .algorithms(SigningAlgorithm.RS256, SigningAlgorithm.ES256)
            .build());
    providers.put(
        IdentityProviderConfig.builder()
            .idpId("idp_partner")
            .issuer(PARTNER_ISSUER)
            .jwks(JwksLocation.jwksJson(new JWKSet(partnerRsa).toString(true)))
            .audiences(Tokens.AUDIENCE)
            .algorithms(SigningAlgorithm.RS256)
            .build());

    buildToken = register("agt_build", false);
    deployToken = register("agt_deploy", false);
    revokedToken = register("agt_old", true);
    AgentTokenVerifier agents =
        AgentTokenVerifier.stored(keyId -> Optional.ofNullable(agentTokenStore.get(keyId)));
    check =
        new GrantAccessCheck(
            new PresentedIdentityVerifier(providers, agents), new PrincipalMatcher());
  }

  @Test
  void genuineUserTokenResolvesItsUserGrant() {
    String token = corpToken(claims("alice"));

    AccessDecision decision = check.check(ALICE, token);

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.subject()).contains("user:idp_corp/alice");
    assertThat(decision.notAfter()).contains(NOW.plusSeconds(600));
  }

  @Test
  @DisplayName("alg: none (and its case variants) is rejected")
  void algNone() {
    String unsecured = new PlainJWT(claims("alice").build()).serialize();
    assertIdentityInvalid(ALICE, unsecured, "alg_not_allowed");

    String genuine = corpToken(claims("alice"));
    String[] parts = genuine.split("\\.");
    for (String alg : List.of("none", "NONE", "None")) {
      String header = b64("{\"alg\":\"" + alg + "\",\"kid\":\"rsa-1\"}");
      assertIdentityInvalid(ALICE, header + "." + parts[1] + "." + parts[2], "alg_not_allowed");
      assertIdentityInvalid(ALICE, header + "." + parts[1] + ".", "alg_not_allowed");
    }
  }

  @Test
  @DisplayName("HS256 signed with the IdP's public key as the HMAC secret is rejected")
  void hs256WithThePublicKeyAsSecret() throws Exception {
    List<byte[]> secrets =
        List.of(
            corpRsa.toRSAPublicKey().getEncoded(),
            corpRsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8),
            new JWKSet(corpRsa).toString(true).getBytes(StandardCharsets.UTF_8));
    for (byte[] secret : secrets) {
      SignedJWT forged =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
              claims("alice").build());
      forged.sign(new MACSigner(secret));
      assertIdentityInvalid(ALICE, forged.serialize(), "alg_not_allowed");
    }
  }

  @Test
  @DisplayName("a valid signature from a key the IdP does not list is rejected")
  void validSignatureFromAnUnlistedKey() {
    String claimingListedKid =
        Tokens.sign(
            attackerRsa,
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(),
            claims("alice").build());
    assertIdentityInvalid(ALICE, claimingListedKid, "signature_invalid");

    String withoutKid =
        Tokens.sign(
            attackerRsa,
            new JWSHeader.Builder(JWSAlgorithm.RS256).build(),
            claims("alice").build());
    assertIdentityInvalid(ALICE, withoutKid, "signature_invalid");
  }

  @Test
  @DisplayName("a kid naming a key that is not in the JWKS is rejected")
  void kidNotInTheJwks() {
    String token =
        Tokens.sign(
            attackerRsa,
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-9").build(),
            claims("alice").build());

    assertIdentityInvalid(ALICE, token, "unknown_key");
  }

  @Test
  @DisplayName("jku pointing to an attacker's JWKS is rejected and never fetched")
  void jkuToTheAttackersJwks() throws Exception {
    for (String kid : List.of("attacker-1", "rsa-1")) {
      String token =
          Tokens.sign(
              attackerRsa,
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(kid)
                  .jwkURL(new URI(attackerJwks.url()))
                  .build(),
              claims("alice").build());
      assertIdentityInvalid(ALICE, token, "embedded_key_not_trusted");
    }
    assertThat(attackerJwks.hits()).isZero();
  }

  @Test
  @DisplayName("x5u pointing to an attacker's URL is rejected and never fetched")
  void x5uToTheAttacker() throws Exception {
    String token =
        Tokens.sign(
            attackerRsa,
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("attacker-1")
                .x509CertURL(new URI(attackerJwks.url()))
                .build(),
            claims("alice").build());

    assertIdentityInvalid(ALICE, token, "embedded_key_not_trusted");
    assertThat(attackerJwks.hits()).isZero();
  }

  @Test
  @DisplayName("an embedded jwk (alone or with jku) is rejected")
  void embeddedJwk() throws Exception {
    String embedded =
        Tokens.sign(
            attackerRsa,
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("attacker-1")
                .jwk(attackerRsa.toPublicJWK())
                .build(),
            claims("alice").build());
    assertIdentityInvalid(ALICE, embedded, "embedded_key_not_trusted");

    String both =
        Tokens.sign(
            attackerRsa,
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("rsa-1")
                .jwk(attackerRsa.toPublicJWK())
                .jwkURL(new URI(attackerJwks.url()))
                .build(),
            claims("alice").build());
    assertIdentityInvalid(ALICE, both, "embedded_key_not_trusted");
    assertThat(attackerJwks.hits()).isZero();
  }

  @Test
  @DisplayName("an x5c certificate chain in the header is rejected")
  void embeddedCertificateChain() {
    String token =
        Tokens.sign(
            attackerRsa,
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("rsa-1")
                .x509CertChain(List.of(Base64.encode(attackerRsa.toPublicJWK().toJSONString())))
                .build(),
            claims("alice").build());

    assertIdentityInvalid(ALICE, token, "embedded_key_not_trusted");
  }

  @Test
  @DisplayName("an alg not on the IdP's allow-list is rejected even with a genuine key")
  void algorithmNotOnTheAllowList() {
    String ps256 = Tokens.sign(corpRsa, JWSAlgorithm.PS256, claims("alice").build());

    assertIdentityInvalid(ALICE, ps256, "alg_not_allowed");
  }

  @Test
  @DisplayName("an alg that does not fit the key its kid names is rejected")
  void algorithmKeyTypeConfusion() {
    String token =
        Tokens.sign(
            attackerEc,
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("rsa-1").build(),
            claims("alice").build());

    assertIdentityInvalid(ALICE, token, "alg_not_allowed");
  }

  @Test
  @DisplayName("an expired token is rejected, with its genuine subject audited")
  void expired() {
    String token =
        corpToken(
            claims("alice")
                .issueTime(Date.from(NOW.minusSeconds(3600)))
                .expirationTime(Date.from(NOW.minusSeconds(120))));

    AccessDecision decision = assertIdentityInvalid(ALICE, token, "expired");
    assertThat(decision.subject()).contains("user:idp_corp/alice");
  }

  @Test
  @DisplayName("nbf in the future is rejected")
  void notBeforeInTheFuture() {
    String token = corpToken(claims("alice").notBeforeTime(Date.from(NOW.plusSeconds(3600))));

    assertIdentityInvalid(ALICE, token, "not_yet_valid");
  }

  @Test
  @DisplayName(
      "a wrong issuer is rejected, whether routed by iss or checked against the grant's IdP")
  void wrongIssuer() {
    String token = corpToken(claims("alice").issuer("https://evil.example"));
    assertIdentityInvalid(ALICE, token, "issuer_mismatch");

    String trailingSlash = corpToken(claims("alice").issuer(Tokens.ISSUER + "/"));
    assertIdentityInvalid(ALICE, trailingSlash, "issuer_mismatch");

    Rejections.assertRejected(
        () -> providers.verifyWith("idp_corp", token), token, RejectionReason.ISSUER_MISMATCH);
  }

  @Test
  @DisplayName("a wrong audience is rejected")
  void wrongAudience() {
    String token = corpToken(claims("alice").audience(List.of("billing-api")));

    assertIdentityInvalid(ALICE, token, "audience_mismatch");
  }

  @Test
  @DisplayName("a tampered payload is rejected")
  void tamperedPayload() {
    String genuine = corpToken(claims("bob"));
    String[] parts = genuine.split("\\.");
    String tampered = parts[0] + "." + b64(claims("alice").build().toString()) + "." + parts[2];

    assertIdentityInvalid(ALICE, tampered, "signature_invalid");
  }

  @Test
  @DisplayName("a token of IdP A is refused for a grant bound to IdP B")
  void tokenOfOneIdpForAGrantOfAnother() {
    String corpAlice = corpToken(claims("alice"));
    assertPrincipalMismatch(ALICE_AT_PARTNER, corpAlice, "other_idp");

    // Signed by IdP A's key but claiming IdP B's issuer: B's keys do not verify it.
    String claimingPartner = corpToken(claims("alice").issuer(PARTNER_ISSUER));
    assertIdentityInvalid(ALICE_AT_PARTNER, claimingPartner, "unknown_key");
  }

  @Test
  @DisplayName("a group grant stops resolving once the token no longer lists the group")
  void groupRemoved() {
    String member = corpToken(claims("alice").claim("groups", List.of("eng", "ops")));
    assertThat(check.check(OPS, member).allowed()).isTrue();

    String removed = corpToken(claims("alice").claim("groups", List.of("eng")));
    assertPrincipalMismatch(OPS, removed, "group_not_in_token");
  }

  @Test
  @DisplayName("another user's JWT is refused for a user grant")
  void anotherUsersToken() {
    assertPrincipalMismatch(ALICE, corpToken(claims("bob")), "other_user");
  }

  @Test
  @DisplayName("a revoked agent token is rejected")
  void revokedAgentToken() {
    AccessDecision decision =
        assertIdentityInvalid(BUILD_AGENT, revokedToken, "agent_token_revoked");
    assertThat(decision.subject()).contains("agent:agt_old");
  }

  @Test
  @DisplayName("an agent token of another agent is refused")
  void agentTokenOfAnotherAgent() {
    assertThat(check.check(BUILD_AGENT, buildToken))
        .extracting(AccessDecision::allowed, AccessDecision::detail)
        .containsExactly(true, "allowed");

    assertPrincipalMismatch(BUILD_AGENT, deployToken, "other_agent");
  }

  @Test
  @DisplayName("an unknown agent token is rejected")
  void unknownAgentToken() {
    String unknown = AgentTokens.issue("agt_build").token();

    assertIdentityInvalid(BUILD_AGENT, unknown, "agent_token_unknown");
  }

  @Test
  void identityOfTheWrongKindOrNoneIsAMismatch() {
    assertPrincipalMismatch(ALICE, null, "identity_required");
    assertPrincipalMismatch(ALICE, buildToken, "wrong_identity_kind");
    assertPrincipalMismatch(BUILD_AGENT, corpToken(claims("alice")), "wrong_identity_kind");
  }

  @Test
  void systemGrantNeedsNoIdentity() {
    assertThat(check.check(new GrantPrincipal.System("prod-monitoring"), null).allowed()).isTrue();
  }

  private AccessDecision assertIdentityInvalid(
      GrantPrincipal principal, String token, String reason) {
    AccessDecision decision = check.check(principal, token);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.errorCode()).map(c -> c.code()).contains("identity_invalid");
    assertThat(decision.reason()).contains(reason);
    assertNoTokenIn(decision, token);
    return decision;
  }

  private void assertPrincipalMismatch(GrantPrincipal principal, String token, String reason) {
    AccessDecision decision = check.check(principal, token);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.errorCode()).map(c -> c.code()).contains("principal_mismatch");
    assertThat(decision.reason()).contains(reason);
    if (token != null) {
      assertNoTokenIn(decision, token);
    }
  }

  private static void assertNoTokenIn(AccessDecision decision, String token) {
    String printed = decision.toString() + decision.detail();
    for (String part : token.split("\\.")) {
      if (part.length() >= 8) {
        assertThat(printed).doesNotContain(part);
      }
    }
  }

  private String register(String agentId, boolean revoked) {
    IssuedAgentToken issued = AgentTokens.issue(agentId);
    String keyId = dev.alter.contract.proof.ProofKey.keyIdOf(issued.token());
    agentTokenStore.put(keyId, new StoredAgentToken(agentId, keyId, null, revoked));
    return issued.token();
  }

  private static JWTClaimsSet.Builder claims(String subject) {
    return Tokens.claims(NOW, subject);
  }

  private static String corpToken(JWTClaimsSet.Builder claims) {
    return Tokens.sign(corpRsa, JWSAlgorithm.RS256, claims.build());
  }

  private static String b64(String json) {
    return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
