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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Keys an app's users upload (issue 19) through the service's REST API: the operator's allowance,
 * the backend's store / rotate / status / delete as the app and the user (real JWTs from a local
 * IdP), and every refusal leaving the store as it was.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class UserSecretsApiTest {
  private static final ObjectMapper SNAKE =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  private static final String DATADOG = "https://api.datadoghq.com/api/v1/validate";

  @Parameter Backend backend;
  static TestService service;
  static TestIdp idp;
  static TestIdp otherIdp;
  static String idpId;
  static String otherIdpId;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    service = TestService.start(backend, UserSecretsApiTest.class);
    idp = TestIdp.start("https://sso.example.test/realms/corp");
    otherIdp = TestIdp.start("https://sso.partner.test/realms/other");
    idpId = service.registerIdp(idp, "groups");
    otherIdpId = service.registerIdp(otherIdp, "groups");
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    idp.close();
    otherIdp.close();
    service.close();
  }

  private record App(String appId, String appKey) {}

  /** A new app whose users may upload datadog keys (users of the first IdP). */
  private static App allowedApp() {
    App app = app();
    ApiClient.Response r = allow(app, "datadog", "{\"idp_ids\":[\"" + idpId + "\"]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return app;
  }

  private static App app() {
    JsonNode app = service.createApp("uploads-" + UUID.randomUUID());
    return new App(app.path("app_id").asText(), app.path("api_key").path("key").asText());
  }

  private static ApiClient.Response allow(App app, String provider, String body) {
    return service.api.put(
        "/v1/apps/" + app.appId() + "/user-secret-allowances/" + provider, service.adminKey, body);
  }

  private static ApiClient.Response upload(App app, String jwt, String key) {
    return upload(app, "datadog", jwt, key, null);
  }

  private static ApiClient.Response upload(
      App app, String provider, String jwt, String key, String extraJson) {
    return service.api.put(
        "/v1/user-secrets/" + provider,
        app.appKey(),
        "{\"identity\":"
            + ApiClient.quote(jwt)
            + ",\"credential\":"
            + ApiClient.quote(key)
            + (extraJson == null ? "" : "," + extraJson)
            + "}");
  }

  private static ApiClient.Response status(App app, String jwt) {
    return service.api.post(
        "/v1/user-secrets/datadog/status",
        app.appKey(),
        "{\"identity\":" + ApiClient.quote(jwt) + "}");
  }

  private static ApiClient.Response remove(App app, String jwt) {
    return service.api.send(
        "DELETE",
        "/v1/user-secrets/datadog",
        app.appKey(),
        "{\"identity\":" + ApiClient.quote(jwt) + "}");
  }

  private static ApiClient.Response resolve(App app, String jwt, KeyPair keys) {
    return service.api.post(
        "/v1/resolve",
        app.appKey(),
        "{\"grant\":\"@datadog\",\"identity\":"
            + ApiClient.quote(jwt)
            + ",\"destination\":{\"method\":\"GET\",\"url\":\""
            + DATADOG
            + "\"},\"public_key\":\""
            + CredentialSealing.encodePublicKey(X25519Keys.rawPublicKey(keys.getPublic()))
            + "\"}");
  }

  /** The key {@code @datadog} resolves to for this user, opened with the caller's key pair. */
  private static String resolvedKey(App app, String jwt) throws Exception {
    KeyPair keys = X25519Keys.generate();
    ApiClient.Response r = resolve(app, jwt, keys);
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

  /**
   * The tables an upload writes, for "nothing stored" checks (refusals are audited, and keys'
   * last-used times move).
   */
  private static Map<String, List<String>> stored() {
    Map<String, List<String>> tables = new LinkedHashMap<>();
    for (String table :
        List.of(
            "secrets", "credential_versions", "grants", "user_secrets", "user_secret_allowances")) {
      tables.put(table, service.rows(table));
    }
    return tables;
  }

  private static void assertRefused(ApiClient.Response r, int status, String code) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.code()).as(r.body()).isEqualTo(code);
  }

  @Test
  void aUsersUploadIsResolvedForThatUserOnlyAndRotatesInPlace() throws Exception {
    App app = allowedApp();
    ApiClient.Response first = upload(app, idp.token("alice"), "dd-alice-1");
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    JsonNode created = first.json();
    assertThat(created.path("created").asBoolean()).isTrue();
    assertThat(created.path("version").asLong()).isEqualTo(1);
    assertThat(first.body()).doesNotContain("dd-alice-1");

    assertThat(resolvedKey(app, idp.token("alice"))).isEqualTo("dd-alice-1");
    assertRefused(resolve(app, idp.token("bob"), X25519Keys.generate()), 404, "grant_not_found");

    ApiClient.Response rotated = upload(app, idp.ecToken("alice"), "dd-alice-2");
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    assertThat(rotated.json().path("created").asBoolean()).isFalse();
    assertThat(rotated.json().path("secret_id").asText())
        .isEqualTo(created.path("secret_id").asText());
    assertThat(rotated.json().path("grant_id").asText())
        .isEqualTo(created.path("grant_id").asText());
    assertThat(rotated.json().path("version").asLong()).isEqualTo(2);
    assertThat(resolvedKey(app, idp.token("alice"))).isEqualTo("dd-alice-2");

    ApiClient.Response status = status(app, idp.token("alice"));
    assertThat(status.status()).as(status.body()).isEqualTo(200);
    assertThat(status.json().path("stored").asBoolean()).isTrue();
    assertThat(status.json().path("fingerprint").asText())
        .isEqualTo(rotated.json().path("fingerprint").asText())
        .hasSize(8);
    assertThat(status.json().path("updated_at").asText()).isNotEmpty();
    assertThat(status.json().path("grant_id").asText())
        .isEqualTo(created.path("grant_id").asText());
    assertThat(status.body()).doesNotContain("dd-alice");
    assertThat(status(app, idp.token("bob")).json().path("stored").asBoolean()).isFalse();

    // the operator sees the secret and the user grant, never the key
    JsonNode grant =
        service.api.get("/v1/grants/" + created.path("grant_id").asText(), service.adminKey).json();
    assertThat(grant.path("principal").path("user_id").asText()).isEqualTo("alice");
    assertThat(grant.path("principal").path("idp_id").asText()).isEqualTo(idpId);

    ApiClient.Response deleted = remove(app, idp.token("alice"));
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
    assertRefused(resolve(app, idp.token("alice"), X25519Keys.generate()), 404, "grant_not_found");
    assertThat(status(app, idp.token("alice")).json().path("stored").asBoolean()).isFalse();
    assertRefused(remove(app, idp.token("alice")), 404, "not_found");
    assertThat(service.rows("user_secrets").toString()).doesNotContain(app.appId());

    JsonNode audit =
        service.api.get("/v1/audit?app_id=" + app.appId() + "&limit=100", service.adminKey).json();
    List<String> actions = audit.path("events").findValuesAsText("action");
    assertThat(actions).contains("user_secret.store", "user_secret.rotate", "user_secret.delete");
    assertThat(audit.toString())
        .contains("user:" + idpId + "/alice")
        .doesNotContain("dd-alice-1")
        .doesNotContain("dd-alice-2");
    // each action the upload path writes is also a filter the audit view accepts
    for (String action : List.of("user_secret.store", "user_secret.rotate", "user_secret.delete")) {
      JsonNode filtered =
          service
              .api
              .get("/v1/audit?app_id=" + app.appId() + "&action=" + action, service.adminKey)
              .json();
      assertThat(filtered.path("events").findValuesAsText("action"))
          .as(action)
          .containsOnly(action);
    }
  }

  @Test
  void eachUserKeepsTheirOwnKey() throws Exception {
    App app = allowedApp();
    assertThat(upload(app, idp.token("alice"), "dd-alice").status()).isEqualTo(201);
    assertThat(upload(app, idp.token("bob"), "dd-bob").status()).isEqualTo(201);
    assertThat(resolvedKey(app, idp.token("alice"))).isEqualTo("dd-alice");
    assertThat(resolvedKey(app, idp.token("bob"))).isEqualTo("dd-bob");
  }

  @Test
  void refusedUploadsStoreNothing() throws Exception {
    App app = allowedApp();
    String alice = idp.token("alice");
    Instant now = Instant.now();
    RSAKey attacker = new RSAKeyGenerator(2048).keyID(idp.rsa.getKeyID()).generate();
    Map<String, List<String>> before = stored();

    assertRefused(upload(app, "stripe", alice, "sk_live_x", null), 403, "provider_not_allowed");
    assertRefused(upload(app, otherIdp.token("alice"), "dd-x"), 403, "identity_not_accepted");
    assertRefused(
        upload(
            app,
            TestIdp.sign(
                idp.rsa,
                JWSAlgorithm.RS256,
                idp.claims("alice").expirationTime(Date.from(now.minusSeconds(3600))).build()),
            "dd-x"),
        401,
        "identity_invalid");
    assertRefused(
        upload(
            app, TestIdp.sign(attacker, JWSAlgorithm.RS256, idp.claims("alice").build()), "dd-x"),
        401,
        "identity_invalid");
    assertRefused(upload(app, idp.signedByAnotherKey("alice"), "dd-x"), 401, "identity_invalid");
    assertRefused(
        upload(app, TestIdp.unsigned(idp.claims("alice").build()), "dd-x"),
        401,
        "identity_invalid");
    // a user cannot upload for someone else, nor choose where the key goes
    assertRefused(
        upload(app, "datadog", alice, "dd-x", "\"user_id\":\"bob\""), 400, "validation_failed");
    assertRefused(
        upload(app, "datadog", alice, "dd-x", "\"idp_id\":\"" + otherIdpId + "\""),
        400,
        "validation_failed");
    assertRefused(
        upload(app, "datadog", alice, "dd-x", "\"destinations\":[\"https://evil.example\"]"),
        400,
        "validation_failed");
    assertRefused(
        upload(app, "datadog", alice, "dd-x", "\"allow_plain_http\":true"),
        400,
        "validation_failed");
    assertRefused(
        upload(
            app,
            "datadog",
            alice,
            "dd-x",
            "\"injection\":{\"type\":\"query\",\"query_param\":\"k\"}"),
        400,
        "validation_failed");
    // malformed keys
    for (String malformed : List.of("", "dd key", "dd-key\n", "dd\u0000key", " dd-key")) {
      assertRefused(upload(app, alice, malformed), 400, "malformed_credential");
    }
    // the admin key is not the app's, and another app's key sees another allowance
    assertRefused(
        service.api.put(
            "/v1/user-secrets/datadog",
            service.adminKey,
            "{\"identity\":" + ApiClient.quote(alice) + ",\"credential\":\"dd-x\"}"),
        403,
        "forbidden");
    assertRefused(upload(app(), alice, "dd-x"), 403, "provider_not_allowed");
    assertRefused(
        service.api.put(
            "/v1/user-secrets/datadog",
            null,
            "{\"identity\":" + ApiClient.quote(alice) + ",\"credential\":\"dd-x\"}"),
        401,
        "unauthorized_app");

    assertThat(stored()).isEqualTo(before);
    JsonNode audit =
        service
            .api
            .get("/v1/audit?app_id=" + app.appId() + "&outcome=denied&limit=100", service.adminKey)
            .json();
    assertThat(audit.path("events").findValuesAsText("reason"))
        .anySatisfy(reason -> assertThat(reason).startsWith("identity_not_accepted"))
        .anySatisfy(reason -> assertThat(reason).startsWith("identity_invalid: expired"))
        .anySatisfy(reason -> assertThat(reason).startsWith("malformed_credential"));
    assertThat(audit.toString()).doesNotContain(alice);
  }

  @Test
  void oneKeyPerUserUnlessTheOperatorAllowsMore() {
    App app = allowedApp();
    String alice = idp.token("alice");
    assertThat(upload(app, alice, "dd-1").status()).isEqualTo(201);
    assertRefused(
        upload(app, "datadog", alice, "dd-2", "\"name\":\"second\""),
        409,
        "user_secret_limit_reached");

    assertThat(
            allow(app, "datadog", "{\"idp_ids\":[\"" + idpId + "\"],\"max_per_user\":2}").status())
        .isEqualTo(200);
    assertThat(upload(app, "datadog", alice, "dd-2", "\"name\":\"second\"").status())
        .isEqualTo(201);
    assertRefused(
        upload(app, "datadog", alice, "dd-3", "\"name\":\"third\""),
        409,
        "user_secret_limit_reached");
  }

  @Test
  void uploadsAreRateLimitedPerUser() {
    App app = allowedApp();
    String carol = idp.token("carol");
    for (int i = 0; i < 10; i++) {
      ApiClient.Response r = upload(app, carol, "dd-carol-" + i);
      assertThat(r.status()).as(r.body()).isIn(200, 201);
    }
    Map<String, List<String>> before = stored();
    assertRefused(upload(app, carol, "dd-carol-over"), 429, "rate_limited");
    assertThat(stored()).isEqualTo(before);
    assertThat(upload(app, idp.token("dave"), "dd-dave").status())
        .as("another user of the same app")
        .isEqualTo(201);
  }

  @Test
  void theOperatorsAllowanceIsTheCatalogsOrNarrower() {
    App app = app();
    String idps = "\"idp_ids\":[\"" + idpId + "\"]";
    for (String wider :
        List.of(
            "[\"https://evil.example\"]",
            "[\"http://api.datadoghq.com\"]",
            "[\"https://*.datadoghq.com\"]",
            "[\"https://api.datadoghq.com.evil.example\"]")) {
      assertRefused(
          allow(app, "datadog", "{" + idps + ",\"destinations\":" + wider + "}"),
          400,
          "validation_failed");
    }
    assertRefused(
        allow(
            app,
            "datadog",
            "{"
                + idps
                + ",\"injection\":{\"type\":\"header\",\"headers\":[{\"name\":\"X-Other\",\"template\":\"{credential}\"}]}}"),
        400,
        "validation_failed");
    assertRefused(
        allow(app, "custom", "{" + idps + ",\"destinations\":[\"https://api.example.com\"]}"),
        400,
        "validation_failed");
    assertRefused(allow(app, "datadog", "{\"idp_ids\":[]}"), 400, "validation_failed");
    assertRefused(allow(app, "datadog", "{\"idp_ids\":[\"idp_nosuch\"]}"), 404, "not_found");
    assertRefused(
        allow(app, "datadog", "{" + idps + ",\"max_per_user\":0}"), 400, "validation_failed");

    ApiClient.Response narrowed =
        allow(app, "datadog", "{" + idps + ",\"destinations\":[\"https://api.datadoghq.eu\"]}");
    assertThat(narrowed.status()).as(narrowed.body()).isEqualTo(200);
    assertThat(narrowed.json().path("destinations").toString())
        .isEqualTo("[\"https://api.datadoghq.eu\"]");
    assertThat(narrowed.json().path("max_per_user").asInt()).isEqualTo(1);
    ApiClient.Response listed =
        service.api.get("/v1/apps/" + app.appId() + "/user-secret-allowances", service.adminKey);
    assertThat(listed.json().path("allowances").findValuesAsText("provider"))
        .containsExactly("datadog");
  }

  @Test
  void changingTheAllowanceMovesUploadedKeysAndDisallowingDeletesThem() throws Exception {
    App app = allowedApp();
    String alice = idp.token("alice");
    JsonNode created = upload(app, alice, "dd-alice").json();
    String secretId = created.path("secret_id").asText();

    allow(
        app,
        "datadog",
        "{\"idp_ids\":[\"" + idpId + "\"],\"destinations\":[\"https://api.datadoghq.eu\"]}");
    JsonNode secret = service.api.get("/v1/secrets/" + secretId, service.adminKey).json();
    assertThat(secret.path("destinations").toString()).isEqualTo("[\"https://api.datadoghq.eu\"]");
    assertRefused(resolve(app, alice, X25519Keys.generate()), 403, "host_not_allowed");

    assertThat(
            service
                .api
                .delete(
                    "/v1/apps/" + app.appId() + "/user-secret-allowances/datadog", service.adminKey)
                .status())
        .isEqualTo(204);
    assertRefused(resolve(app, alice, X25519Keys.generate()), 404, "grant_not_found");
    assertThat(service.api.get("/v1/secrets/" + secretId, service.adminKey).status())
        .isEqualTo(404);
    assertRefused(upload(app, alice, "dd-again"), 403, "provider_not_allowed");
  }

  @Test
  void theBackendMaySignItsCallsAsTheAgentDoes() {
    App app = allowedApp();
    String body =
        "{\"identity\":" + ApiClient.quote(idp.token("erin")) + ",\"credential\":\"dd-erin\"}";
    long now = Instant.now().getEpochSecond();
    ApiClient.Response signed =
        service.api.sendWithAuthorization(
            "PUT",
            "/v1/user-secrets/datadog",
            service.api.signature(
                "PUT",
                "/v1/user-secrets/datadog",
                app.appKey(),
                null,
                body,
                now,
                "n-" + UUID.randomUUID()),
            body);
    assertThat(signed.status()).as(signed.body()).isEqualTo(201);
    ApiClient.Response tampered =
        service.api.sendWithAuthorization(
            "PUT",
            "/v1/user-secrets/datadog",
            service.api.signature(
                "PUT",
                "/v1/user-secrets/datadog",
                app.appKey(),
                null,
                body,
                now,
                "n-" + UUID.randomUUID()),
            body.replace("dd-erin", "dd-mallory"));
    assertRefused(tampered, 401, "signature_rejected");
  }
}
