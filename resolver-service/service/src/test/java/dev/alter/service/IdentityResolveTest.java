package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.ResolveResponse;
import dev.alter.contract.X25519Keys;
import dev.alter.testing.TestIdp;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * User, group and agent grants at resolve: a real IdP (RSA and EC keys, JWKS on 127.0.0.1),
 * registered through the admin API, tokens verified on every resolve.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class IdentityResolveTest {
  private static final ObjectMapper SNAKE =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  private static final String DATADOG = "https://api.datadoghq.com/api/v1/validate";

  @Parameter Backend backend;
  static TestService service;
  static TestIdp idp;
  static String idpId;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    service = TestService.start(backend, IdentityResolveTest.class);
    idp = TestIdp.start("https://sso.example.test/realms/corp");
    idpId = service.registerIdp(idp, "groups");
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    idp.close();
    service.close();
  }

  private record App(String appId, String appKey) {}

  private static App app() {
    JsonNode app = service.createApp("identity-" + System.nanoTime());
    return new App(app.path("app_id").asText(), app.path("api_key").path("key").asText());
  }

  private static String secret(App app, String credential) {
    return service
        .createSecret(app.appId(), "datadog", credential, null)
        .path("secret_id")
        .asText();
  }

  private static String userPrincipal(String user) {
    return "{\"type\":\"user\",\"user_id\":\"" + user + "\",\"idp_id\":\"" + idpId + "\"}";
  }

  private static ApiClient.Response resolve(App app, String grant, String identity, KeyPair keys) {
    return service.api.post(
        "/v1/resolve",
        app.appKey(),
        "{\"grant\":"
            + ApiClient.quote(grant)
            + ",\"identity\":"
            + (identity == null ? "null" : ApiClient.quote(identity))
            + ",\"destination\":{\"method\":\"GET\",\"url\":\""
            + DATADOG
            + "\"},\"public_key\":\""
            + CredentialSealing.encodePublicKey(X25519Keys.rawPublicKey(keys.getPublic()))
            + "\"}");
  }

  private static ApiClient.Response resolve(App app, String grant, String identity) {
    return resolve(app, grant, identity, X25519Keys.generate());
  }

  /** The credential of an allowed resolve, opened with the caller's key. */
  private static String opened(ApiClient.Response r, KeyPair keys) throws Exception {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    ResolveResponse answer = SNAKE.readValue(r.body(), ResolveResponse.class);
    return CredentialSealing.open(
            keys.getPrivate(),
            X25519Keys.rawPublicKey(keys.getPublic()),
            answer.getGrantId(),
            answer.getCredentialVersion(),
            answer.getSealed())
        .primary();
  }

  @Test
  void userGrantResolvesOnlyForThatUsersValidJwt() throws Exception {
    App app = app();
    String grant =
        service.createGrant(secret(app, "alice-dd-key"), "alice", userPrincipal("alice"));
    KeyPair keys = X25519Keys.generate();
    assertThat(opened(resolve(app, grant, idp.token("alice"), keys), keys))
        .isEqualTo("alice-dd-key");
    assertThat(opened(resolve(app, grant, idp.ecToken("alice"), keys), keys))
        .as("ES256 key")
        .isEqualTo("alice-dd-key");

    ApiClient.Response bob = resolve(app, grant, idp.token("bob"));
    assertThat(bob.status()).isEqualTo(403);
    assertThat(bob.code()).isEqualTo("principal_mismatch");
    assertThat(resolve(app, grant, null).code()).isEqualTo("principal_mismatch");
  }

  @Test
  void forgedExpiredAndForeignTokensAreIdentityInvalid() throws Exception {
    App app = app();
    String grant =
        service.createGrant(secret(app, "forged-target"), "alice", userPrincipal("alice"));
    RSAKey attacker = new RSAKeyGenerator(2048).keyID(idp.rsa.getKeyID()).generate();
    Instant now = Instant.now();
    List<String> forged =
        List.of(
            TestIdp.unsigned(idp.claims("alice").build()),
            TestIdp.sign(attacker, JWSAlgorithm.RS256, idp.claims("alice").build()),
            TestIdp.sign(
                idp.rsa,
                JWSAlgorithm.RS256,
                idp.claims("alice").expirationTime(Date.from(now.minusSeconds(3600))).build()),
            TestIdp.sign(
                idp.rsa, JWSAlgorithm.RS256, idp.claims("alice").audience("someone-else").build()),
            TestIdp.sign(
                idp.rsa,
                JWSAlgorithm.RS256,
                idp.claims("alice").issuer("https://evil.example").build()),
            "not-a-jwt");
    for (String token : forged) {
      ApiClient.Response r = resolve(app, grant, token);
      assertThat(r.status()).as(r.body()).isEqualTo(401);
      assertThat(r.code()).isEqualTo("identity_invalid");
      assertThat(r.body()).doesNotContain(token);
    }
  }

  @Test
  void groupGrantResolvesForMembersAndStopsWhenTheGroupLeavesTheToken() throws Exception {
    App app = app();
    String grant =
        service.createGrant(
            secret(app, "sre-dd-key"),
            "sre",
            "{\"type\":\"group\",\"external_group_id\":\"sre\",\"idp_id\":\"" + idpId + "\"}");
    KeyPair keys = X25519Keys.generate();
    assertThat(opened(resolve(app, grant, idp.token("alice", "billing", "sre"), keys), keys))
        .isEqualTo("sre-dd-key");
    assertThat(opened(resolve(app, grant, idp.token("carol", "sre"), keys), keys))
        .isEqualTo("sre-dd-key");
    ApiClient.Response removed = resolve(app, grant, idp.token("alice", "billing"));
    assertThat(removed.code()).isEqualTo("principal_mismatch");
    assertThat(
            service.count(
                // identical denials are one row with a count
                "SELECT SUM(repeat_count) FROM audit_events WHERE grant_id = '"
                    + grant
                    + "' AND outcome = 'denied' AND reason LIKE '%group_not_in_token%' AND reason LIKE '%subject user:"
                    + idpId
                    + "/alice%'"))
        .isEqualTo(1);
  }

  @Test
  void agentGrantResolvesOnlyWithThatAgentsCurrentToken() throws Exception {
    App app = app();
    JsonNode agent = service.createAgent("exporter");
    JsonNode other = service.createAgent("other");
    String agentId = agent.path("agent_id").asText();
    String grant =
        service.createGrant(
            secret(app, "agent-dd-key"),
            "exporter",
            "{\"type\":\"agent\",\"agent_id\":\"" + agentId + "\"}");
    String token = agent.path("token").asText();
    KeyPair keys = X25519Keys.generate();
    assertThat(opened(resolve(app, grant, token, keys), keys)).isEqualTo("agent-dd-key");
    ApiClient.Response r = resolve(app, grant, other.path("token").asText());
    assertThat(r.code()).isEqualTo("principal_mismatch");
    assertThat(resolve(app, grant, idp.token("alice")).code()).isEqualTo("principal_mismatch");
    assertThat(resolve(app, grant, "alter_key_agent_" + "A".repeat(43)).code())
        .isEqualTo("identity_invalid");

    String rotated =
        service.api.post("/v1/agents/" + agentId + "/tokens", service.adminKey, "{}").text("token");
    assertThat(resolve(app, grant, token).code())
        .as("the rotated-away token")
        .isEqualTo("identity_invalid");
    assertThat(opened(resolve(app, grant, rotated, keys), keys)).isEqualTo("agent-dd-key");

    service.api.post("/v1/agents/" + agentId + "/revoke", service.adminKey, "{}");
    ApiClient.Response revoked = resolve(app, grant, rotated);
    assertThat(revoked.code()).isEqualTo("identity_invalid");
    assertThat(
            service.count(
                // identical denials are one row with a count
                "SELECT SUM(repeat_count) FROM audit_events WHERE grant_id = '"
                    + grant
                    + "' AND reason LIKE 'identity_invalid: agent_token_revoked%' AND reason LIKE '%subject agent:"
                    + agentId
                    + "%'"))
        .isEqualTo(2);
  }

  @Test
  void perUserPatternPicksEachUsersOwnGrantForTheProvider() throws Exception {
    App app = app();
    service.createGrant(secret(app, "alice-own-dd"), "alice-datadog", userPrincipal("alice"));
    service.createGrant(secret(app, "bob-own-dd"), "bob-datadog", userPrincipal("bob"));
    KeyPair keys = X25519Keys.generate();
    assertThat(opened(resolve(app, "@datadog", idp.token("alice"), keys), keys))
        .isEqualTo("alice-own-dd");
    assertThat(opened(resolve(app, "@datadog", idp.token("bob"), keys), keys))
        .isEqualTo("bob-own-dd");

    ApiClient.Response carol = resolve(app, "@datadog", idp.token("carol"));
    assertThat(carol.status()).isEqualTo(404);
    assertThat(carol.code()).isEqualTo("grant_not_found");
    assertThat(resolve(app, "@datadog", TestIdp.unsigned(idp.claims("alice").build())).code())
        .isEqualTo("identity_invalid");

    service.createGrant(
        secret(app, "team-dd"),
        "sre-datadog",
        "{\"type\":\"group\",\"external_group_id\":\"sre\",\"idp_id\":\"" + idpId + "\"}");
    ApiClient.Response ambiguous = resolve(app, "@datadog", idp.token("alice", "sre"));
    assertThat(ambiguous.status()).isEqualTo(409);
    assertThat(ambiguous.code()).isEqualTo("ambiguous_grant");
    assertThat(opened(resolve(app, "@datadog", idp.token("alice"), keys), keys))
        .isEqualTo("alice-own-dd");
  }

  @Test
  void ttlNeverOutlivesTheTokensExpiry() throws Exception {
    App app = app();
    String grant = service.createGrant(secret(app, "short-lived"), "alice", userPrincipal("alice"));
    String token =
        TestIdp.sign(
            idp.rsa,
            JWSAlgorithm.RS256,
            idp.claims("alice").expirationTime(Date.from(Instant.now().plusSeconds(20))).build());
    ApiClient.Response r = resolve(app, grant, token);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("ttl_seconds").asInt()).isBetween(15, 20);
    ApiClient.Response longToken = resolve(app, grant, idp.token("alice"));
    assertThat(longToken.json().path("ttl_seconds").asInt())
        .as("the secret's own TTL")
        .isEqualTo(60);
  }

  @Test
  void identityProviderChangesApplyWithoutRestart() {
    App app = app();
    try (TestIdp second = TestIdp.start("https://sso.second.test")) {
      String secondId = service.registerIdp(second, "groups");
      String grant =
          service.createGrant(
              secret(app, "second-idp"),
              "u",
              "{\"type\":\"user\",\"user_id\":\"dana\",\"idp_id\":\"" + secondId + "\"}");
      assertThat(resolve(app, grant, second.token("dana")).status()).isEqualTo(200);
      assertThat(resolve(app, grant, idp.token("dana")).code())
          .as("a token of IdP A for a grant of IdP B")
          .isEqualTo("principal_mismatch");

      service.api.patch(
          "/v1/idps/" + secondId, service.adminKey, "{\"audiences\":[\"another-backend\"]}");
      assertThat(resolve(app, grant, second.token("dana")).code()).isEqualTo("identity_invalid");
      service.api.patch(
          "/v1/idps/" + secondId,
          service.adminKey,
          "{\"audiences\":[\"" + TestIdp.AUDIENCE + "\"]}");
      assertThat(resolve(app, grant, second.token("dana")).status()).isEqualTo(200);

      service.api.delete("/v1/idps/" + secondId, service.adminKey);
      assertThat(resolve(app, grant, second.token("dana")).code()).isEqualTo("identity_invalid");
    }
  }

  @Test
  void systemGrantsStillResolveWithoutIdentityAndProviderShorthandKeepsSystemBehaviour()
      throws Exception {
    App app = app();
    String secretId = secret(app, "system-dd");
    String systemGrant = service.createSystemGrant(secretId, "svc").path("grant_id").asText();
    service.createGrant(secretId, "alice", userPrincipal("alice"));
    KeyPair keys = X25519Keys.generate();
    assertThat(opened(resolve(app, "@datadog", null, keys), keys)).isEqualTo("system-dd");
    assertThat(
            SNAKE
                .readValue(resolve(app, "@datadog", null).body(), ResolveResponse.class)
                .getGrantId())
        .isEqualTo(systemGrant);
    assertThat(opened(resolve(app, systemGrant, idp.token("whoever"), keys), keys))
        .isEqualTo("system-dd");
  }

  @Test
  void denialsAreAuditedWithReasonAndSubjectButNeverTheToken() {
    App app = app();
    String grant = service.createGrant(secret(app, "audited"), "alice", userPrincipal("alice"));
    String bobToken = idp.token("bob");
    String forged = TestIdp.unsigned(idp.claims("alice").build());
    resolve(app, grant, bobToken);
    resolve(app, grant, forged);
    JsonNode events =
        service
            .api
            .get("/v1/audit?grant_id=" + grant + "&outcome=denied", service.adminKey)
            .json()
            .path("events");
    List<String> reasons = events.findValuesAsText("reason");
    assertThat(reasons)
        .anySatisfy(
            reason ->
                assertThat(reason)
                    .startsWith("principal_mismatch: other_user")
                    .contains("subject user:" + idpId + "/bob"));
    assertThat(reasons)
        .anySatisfy(
            reason ->
                assertThat(reason)
                    .startsWith("identity_invalid: alg_not_allowed")
                    .doesNotContain("subject"));
    assertThat(events.toString()).doesNotContain(bobToken).doesNotContain(forged);
    assertThat(String.join("\n", service.rows("audit_events")))
        .doesNotContain(bobToken)
        .doesNotContain(forged);
  }
}
