package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.alter.contract.CredentialPayload;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.ResolveResponse;
import dev.alter.contract.X25519Keys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ResolveApiTest {
  private static final ObjectMapper SNAKE =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  @Parameter Backend backend;
  static TestService service;
  static final SettableClock CLOCK = new SettableClock();

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    service = TestService.start(backend, ResolveApiTest.class, CLOCK);
  }

  @AfterEach
  void unpinTheClock() {
    CLOCK.followSystemTime();
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    service.close();
  }

  /** One app with a Datadog secret and a system grant. */
  private record Fixture(String appId, String appKey, String secretId, String grantId) {}

  private Fixture datadog(String credential) {
    JsonNode app = service.createApp("resolve-" + System.nanoTime());
    String appId = app.path("app_id").asText();
    JsonNode secret =
        service.createSecret(
            appId,
            "datadog",
            credential,
            "\"credential_parts\":{\"application_key\":\"app-key-part\"}");
    JsonNode grant =
        service.createSystemGrant(secret.path("secret_id").asText(), "prod-monitoring");
    return new Fixture(
        appId,
        app.path("api_key").path("key").asText(),
        secret.path("secret_id").asText(),
        grant.path("grant_id").asText());
  }

  private static String body(String grant, String url, byte[] publicKey) {
    return "{\"grant\":"
        + ApiClient.quote(grant)
        + ",\"identity\":null,\"destination\":{\"method\":\"GET\",\"url\":"
        + ApiClient.quote(url)
        + "},\"public_key\":\""
        + CredentialSealing.encodePublicKey(publicKey)
        + "\"}";
  }

  private static ApiClient.Response resolve(Fixture f, String grant, String url, KeyPair keys) {
    return service.api.post(
        "/v1/resolve", f.appKey(), body(grant, url, X25519Keys.rawPublicKey(keys.getPublic())));
  }

  private static ResolveResponse parse(ApiClient.Response r) throws Exception {
    return SNAKE.readValue(r.body(), ResolveResponse.class);
  }

  @Test
  void resolvesTheCredentialSealedToTheCallersKey() throws Exception {
    Fixture f = datadog("dd-secret-value-1");
    KeyPair keys = X25519Keys.generate();
    ApiClient.Response r =
        resolve(f, f.grantId(), "https://api.datadoghq.com/api/v1/validate", keys);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).doesNotContain("dd-secret-value-1");

    ResolveResponse answer = parse(r);
    assertThat(answer.getGrantId()).isEqualTo(f.grantId());
    assertThat(answer.getSecretId()).isEqualTo(f.secretId());
    assertThat(answer.getProvider()).isEqualTo("datadog");
    assertThat(answer.getCredentialVersion()).isEqualTo(1);
    assertThat(answer.getTtlSeconds()).isEqualTo(60);
    assertThat(answer.getDestinations())
        .contains("https://api.datadoghq.com", "https://api.datadoghq.eu");
    assertThat(answer.getInjection().getType()).isEqualTo("header");
    assertThat(answer.getInjection().getHeaders().get(0).getName()).isEqualTo("DD-API-KEY");

    CredentialPayload payload =
        CredentialSealing.open(
            keys.getPrivate(),
            X25519Keys.rawPublicKey(keys.getPublic()),
            f.grantId(),
            1,
            answer.getSealed());
    assertThat(payload.primary()).isEqualTo("dd-secret-value-1");
    assertThat(payload.part("application_key")).isEqualTo("app-key-part");
  }

  @Test
  void deletingASecretDropsItsUnwrappedDataKeyFromMemory() {
    Fixture f = datadog("dd-cached-then-deleted");
    assertThat(
            resolve(
                    f,
                    f.grantId(),
                    "https://api.datadoghq.com/api/v1/validate",
                    X25519Keys.generate())
                .status())
        .isEqualTo(200);
    int cachedWithIt = service.running.cipher().cachedDataKeys();
    assertThat(cachedWithIt)
        .as("the resolve left its data key unwrapped in the cache")
        .isPositive();
    assertThat(service.api.delete("/v1/secrets/" + f.secretId(), service.adminKey).status())
        .isEqualTo(204);
    assertThat(service.running.cipher().cachedDataKeys()).isEqualTo(cachedWithIt - 1);
    assertThat(
            resolve(
                    f,
                    f.grantId(),
                    "https://api.datadoghq.com/api/v1/validate",
                    X25519Keys.generate())
                .code())
        .isEqualTo("grant_revoked");
  }

  @Test
  void bouncyCastleHpkeOpensTheSealedCredential() throws Exception {
    Fixture f = datadog("bc-opened-value");
    HPKE hpke =
        new HPKE(
            HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM256);
    AsymmetricCipherKeyPair recipient = hpke.generatePrivateKey();
    byte[] publicKey = hpke.serializePublicKey(recipient.getPublic());
    ApiClient.Response r =
        service.api.post(
            "/v1/resolve",
            f.appKey(),
            body(f.grantId(), "https://api.datadoghq.com/api/v1/validate", publicKey));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    ResolveResponse answer = parse(r);
    Base64.Decoder b64 = Base64.getUrlDecoder();
    byte[] plaintext =
        hpke.open(
            b64.decode(answer.getSealed().getEnc()),
            recipient,
            "alter-credential-v1".getBytes(StandardCharsets.US_ASCII),
            CredentialSealing.associatedData(f.grantId(), 1),
            b64.decode(answer.getSealed().getCiphertext()),
            null,
            null,
            null);
    assertThat(CredentialPayload.decode(plaintext).primary()).isEqualTo("bc-opened-value");
  }

  @Test
  void rotationKeepsTheGrantAndServesTheNewVersion() throws Exception {
    Fixture f = datadog("first-value");
    ApiClient.Response rotated =
        service.api.put(
            "/v1/secrets/" + f.secretId() + "/credential",
            service.adminKey,
            "{\"credential\":\"second-value\"}");
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    assertThat(rotated.json().path("version").asLong()).isEqualTo(2);

    KeyPair keys = X25519Keys.generate();
    ApiClient.Response r = resolve(f, f.grantId(), "https://api.datadoghq.com/", keys);
    ResolveResponse answer = parse(r);
    assertThat(answer.getCredentialVersion()).isEqualTo(2);
    CredentialPayload payload =
        CredentialSealing.open(
            keys.getPrivate(),
            X25519Keys.rawPublicKey(keys.getPublic()),
            f.grantId(),
            2,
            answer.getSealed());
    assertThat(payload.primary()).isEqualTo("second-value");
    assertThat(payload.part("application_key"))
        .as("parts are replaced as a whole on rotation")
        .isNull();
  }

  @Test
  void aBoxCannotBeOpenedAsAnotherGrantOrVersion() throws Exception {
    Fixture f = datadog("bound-value");
    KeyPair keys = X25519Keys.generate();
    ResolveResponse answer = parse(resolve(f, f.grantId(), "https://api.datadoghq.com/", keys));
    byte[] pk = X25519Keys.rawPublicKey(keys.getPublic());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> CredentialSealing.open(keys.getPrivate(), pk, f.grantId(), 2, answer.getSealed()))
        .isInstanceOf(java.security.GeneralSecurityException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> CredentialSealing.open(keys.getPrivate(), pk, "grt_other", 1, answer.getSealed()))
        .isInstanceOf(java.security.GeneralSecurityException.class);
  }

  @Test
  void revokedGrantFailsClosed() {
    Fixture f = datadog("revoked-value");
    assertThat(
            service
                .api
                .post("/v1/grants/" + f.grantId() + "/revoke", service.adminKey, "{}")
                .status())
        .isEqualTo(200);
    ApiClient.Response r =
        resolve(f, f.grantId(), "https://api.datadoghq.com/", X25519Keys.generate());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("grant_revoked");
    assertThat(r.text("grant_id")).isEqualTo(f.grantId());
  }

  @Test
  void deletedSecretRevokesItsGrants() {
    Fixture f = datadog("deleted-value");
    assertThat(service.api.delete("/v1/secrets/" + f.secretId(), service.adminKey).status())
        .isEqualTo(204);
    ApiClient.Response r =
        resolve(f, f.grantId(), "https://api.datadoghq.com/", X25519Keys.generate());
    assertThat(r.code()).isEqualTo("grant_revoked");
    assertThat(
            service.count(
                "SELECT COUNT(*) FROM credential_versions WHERE secret_id = '"
                    + f.secretId()
                    + "'"))
        .as("deleting a secret destroys its ciphertexts")
        .isZero();
  }

  @Test
  void expiredGrantFailsClosed() {
    Fixture f = datadog("expiring-value");
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    CLOCK.pin(now);
    Instant expires = now.plusSeconds(60);
    ApiClient.Response g =
        service.api.post(
            "/v1/grants",
            service.adminKey,
            "{\"secret_id\":\""
                + f.secretId()
                + "\",\"principal\":{\"type\":\"system\",\"label\":\"short\"},\"expires_at\":\""
                + expires
                + "\"}");
    assertThat(g.status()).as(g.body()).isEqualTo(201);
    String grantId = g.text("grant_id");
    assertThat(resolve(f, grantId, "https://api.datadoghq.com/", X25519Keys.generate()).status())
        .isEqualTo(200);
    CLOCK.pin(expires.minusMillis(1));
    assertThat(resolve(f, grantId, "https://api.datadoghq.com/", X25519Keys.generate()).status())
        .isEqualTo(200);
    CLOCK.pin(expires);
    assertThat(resolve(f, grantId, "https://api.datadoghq.com/", X25519Keys.generate()).code())
        .isEqualTo("grant_revoked");
  }

  @Test
  void aGrantOfAnotherAppIsIndistinguishableFromAMissingOne() {
    Fixture mine = datadog("mine");
    Fixture theirs = datadog("theirs");
    ApiClient.Response other =
        resolve(mine, theirs.grantId(), "https://api.datadoghq.com/", X25519Keys.generate());
    ApiClient.Response missing =
        resolve(
            mine, "grt_00000000000000000000", "https://api.datadoghq.com/", X25519Keys.generate());
    assertThat(other.status()).isEqualTo(404);
    assertThat(other.code()).isEqualTo("grant_not_found");
    assertThat(missing.code()).isEqualTo("grant_not_found");
    assertThat(other.json().path("title")).isEqualTo(missing.json().path("title"));
  }

  @Test
  void destinationMustBeAllowed() {
    Fixture f = datadog("dest-value");
    ApiClient.Response evil =
        resolve(f, f.grantId(), "https://api.datadoghq.com.evil.example/", X25519Keys.generate());
    assertThat(evil.status()).isEqualTo(403);
    assertThat(evil.code()).isEqualTo("host_not_allowed");
    ApiClient.Response port =
        resolve(f, f.grantId(), "https://api.datadoghq.com:8443/", X25519Keys.generate());
    assertThat(port.code()).isEqualTo("host_not_allowed");
    ApiClient.Response userinfo =
        resolve(f, f.grantId(), "https://api.datadoghq.com@evil.example/", X25519Keys.generate());
    assertThat(userinfo.code()).isEqualTo("host_not_allowed");
    ApiClient.Response plain =
        resolve(f, f.grantId(), "http://api.datadoghq.com/", X25519Keys.generate());
    assertThat(plain.code()).isEqualTo("insecure_scheme");
    ApiClient.Response upper =
        resolve(f, f.grantId(), "https://API.DATADOGHQ.COM./v1", X25519Keys.generate());
    assertThat(upper.status()).as("host comparison is normalised").isEqualTo(200);
  }

  @Test
  void plainHttpOnlyWhereTheOperatorAllowedIt() throws Exception {
    JsonNode app = service.createApp("plain-" + System.nanoTime());
    JsonNode secret =
        service.createSecret(
            app.path("app_id").asText(),
            "custom",
            "plain-value",
            "\"injection\":{\"type\":\"header\",\"headers\":[{\"name\":\"X-Token\",\"template\":\"{credential}\"}]},"
                + "\"destinations\":[\"http://127.0.0.1:9999\"],\"allow_plain_http\":true");
    JsonNode grant = service.createSystemGrant(secret.path("secret_id").asText(), "loopback");
    Fixture f =
        new Fixture(
            app.path("app_id").asText(),
            app.path("api_key").path("key").asText(),
            secret.path("secret_id").asText(),
            grant.path("grant_id").asText());
    KeyPair keys = X25519Keys.generate();
    ApiClient.Response r = resolve(f, f.grantId(), "http://127.0.0.1:9999/hook", keys);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(parse(r).getInjection().getHeaders().get(0).getName()).isEqualTo("X-Token");
    assertThat(resolve(f, f.grantId(), "http://localhost:9999/hook", keys).code())
        .as("an IP literal entry matches only that IP")
        .isEqualTo("host_not_allowed");
  }

  @Test
  void checksRunInTheDocumentedOrder() {
    Fixture f = datadog("order-value");
    service.api.post("/v1/grants/" + f.grantId() + "/revoke", service.adminKey, "{}");
    // revoked AND wrong host: the grant check comes first
    assertThat(resolve(f, f.grantId(), "https://evil.example/", X25519Keys.generate()).code())
        .isEqualTo("grant_revoked");
    // unknown grant AND wrong host
    assertThat(resolve(f, "grt_nope", "https://evil.example/", X25519Keys.generate()).code())
        .isEqualTo("grant_not_found");
    // bad key beats everything
    assertThat(
            service
                .api
                .post(
                    "/v1/resolve",
                    "alter_key_app_wrong",
                    body(f.grantId(), "https://evil.example/", new byte[32]))
                .code())
        .isEqualTo("unauthorized_app");
    // user principal AND wrong host: destination comes before principal
    ApiClient.Response g =
        service.api.post(
            "/v1/grants",
            service.adminKey,
            "{\"secret_id\":\""
                + f.secretId()
                + "\",\"principal\":{\"type\":\"agent\",\"agent_id\":\""
                + service.createAgent("order").path("agent_id").asText()
                + "\"}}");
    assertThat(
            resolve(f, g.text("grant_id"), "https://evil.example/", X25519Keys.generate()).code())
        .isEqualTo("host_not_allowed");
  }

  @Test
  void providerShorthandResolvesTheAppsSingleSystemGrant() throws Exception {
    Fixture f = datadog("shorthand-value");
    KeyPair keys = X25519Keys.generate();
    ApiClient.Response r = resolve(f, "@datadog", "https://api.datadoghq.com/", keys);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(parse(r).getGrantId()).isEqualTo(f.grantId());
    assertThat(resolve(f, "@stripe", "https://api.stripe.com/", keys).code())
        .isEqualTo("grant_not_found");
    service.createSystemGrant(f.secretId(), "second");
    ApiClient.Response ambiguous = resolve(f, "@datadog", "https://api.datadoghq.com/", keys);
    assertThat(ambiguous.status()).isEqualTo(409);
    assertThat(ambiguous.code()).isEqualTo("ambiguous_grant");
  }

  @Test
  void badResolveBodiesAreValidationFailures() {
    Fixture f = datadog("body-value");
    String pk =
        CredentialSealing.encodePublicKey(
            X25519Keys.rawPublicKey(X25519Keys.generate().getPublic()));
    for (String body :
        List.of(
            "{",
            "[]",
            "{}",
            "{\"grant\":\""
                + f.grantId()
                + "\",\"destination\":{\"method\":\"GET\",\"url\":\"https://api.datadoghq.com\"}}",
            "{\"grant\":\""
                + f.grantId()
                + "\",\"destination\":{\"method\":\"GET\",\"url\":\"https://api.datadoghq.com\"},\"public_key\":\"short\"}",
            "{\"grant\":\""
                + f.grantId()
                + "\",\"destination\":{\"method\":\"GET\"},\"public_key\":\""
                + pk
                + "\"}",
            "{\"grant\":\""
                + f.grantId()
                + "\",\"destination\":{\"method\":\"GET\",\"url\":\"https://api.datadoghq.com\"},\"public_key\":\""
                + pk
                + "\",\"extra\":1}",
            "{\"grant\":7,\"destination\":{\"method\":\"GET\",\"url\":\"https://api.datadoghq.com\"},\"public_key\":\""
                + pk
                + "\"}",
            // the all-zero point is a low-order X25519 key: nothing can be sealed to it
            "{\"grant\":\""
                + f.grantId()
                + "\",\"destination\":{\"method\":\"GET\",\"url\":\"https://api.datadoghq.com\"},\"public_key\":\""
                + "A".repeat(43)
                + "\"}")) {
      ApiClient.Response r = service.api.post("/v1/resolve", f.appKey(), body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.code()).as(body).isEqualTo("validation_failed");
    }
  }

  @Test
  void everyResolveIsAuditedWithoutValues() {
    Fixture f = datadog("audited-value");
    resolve(f, f.grantId(), "https://api.datadoghq.com/x", X25519Keys.generate());
    resolve(f, f.grantId(), "https://evil.example/x", X25519Keys.generate());
    JsonNode events =
        service
            .api
            .get("/v1/audit?action=resolve&grant_id=" + f.grantId(), service.adminKey)
            .json()
            .path("events");
    assertThat(events).hasSize(2);
    JsonNode denied = events.get(0);
    assertThat(denied.path("outcome").asText()).isEqualTo("denied");
    assertThat(denied.path("reason").asText()).startsWith("host_not_allowed");
    assertThat(denied.path("destination_host").asText()).isEqualTo("evil.example");
    JsonNode allowed = events.get(1);
    assertThat(allowed.path("outcome").asText()).isEqualTo("allowed");
    assertThat(allowed.path("app_id").asText()).isEqualTo(f.appId());
    assertThat(allowed.path("secret_id").asText()).isEqualTo(f.secretId());
    assertThat(allowed.path("principal").asText()).isEqualTo("system:svc");
    assertThat(allowed.path("destination_host").asText()).isEqualTo("api.datadoghq.com");
    assertThat(allowed.path("fingerprint").asText()).hasSize(8);
    assertThat(events.toString()).doesNotContain("audited-value");
  }

  @Test
  void resolutionsAreCountedByOutcome() {
    Fixture f = datadog("metric-value");
    resolve(f, f.grantId(), "https://api.datadoghq.com/", X25519Keys.generate());
    resolve(f, "grt_missing", "https://api.datadoghq.com/", X25519Keys.generate());
    String metrics = service.api.get("/metrics", null).body();
    assertThat(metrics)
        .contains("alter_resolutions_total{outcome=\"allowed\"}")
        .contains("alter_resolutions_total{outcome=\"grant_not_found\"}")
        .contains(
            "alter_http_requests_seconds_bucket{method=\"POST\",route=\"/v1/resolve\",status=\"200\"");
  }
}
