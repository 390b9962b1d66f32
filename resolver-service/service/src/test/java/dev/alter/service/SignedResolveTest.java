package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.ResolveResponse;
import dev.alter.contract.X25519Keys;
import dev.alter.contract.proof.ProofKey;
import dev.alter.contract.proof.RequestSigning;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code POST /v1/resolve} signed with the app key's proof key (and an agent token's), as the agent
 * sends it: what verifies, and what is refused with {@code signature_rejected} before anything is
 * resolved.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class SignedResolveTest {
  private static final ObjectMapper SNAKE =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  private static final String DATADOG = "https://api.datadoghq.com/api/v1/validate";
  private static final SettableClock CLOCK = new SettableClock();

  @Parameter Backend backend;
  static TestService service;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    TestStore store = TestStore.create(backend, SignedResolveTest.class);
    service =
        TestService.start(store, store.config().clock(CLOCK).signatureWindowSeconds(60).build());
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    CLOCK.followSystemTime();
    try {
      service.close();
    } finally {
      service.store.close();
    }
  }

  private record Fixture(String appKey, String grantId) {}

  private static Fixture fixture(String credential) {
    JsonNode app = service.createApp("signed-" + System.nanoTime());
    JsonNode secret =
        service.createSecret(app.path("app_id").asText(), "datadog", credential, null);
    JsonNode grant = service.createSystemGrant(secret.path("secret_id").asText(), "signed");
    return new Fixture(app.path("api_key").path("key").asText(), grant.path("grant_id").asText());
  }

  private static String body(String grant, String identity, KeyPair keys) {
    return "{\"grant\":"
        + ApiClient.quote(grant)
        + (identity == null ? "" : ",\"identity\":" + ApiClient.quote(identity))
        + ",\"destination\":{\"method\":\"GET\",\"url\":\""
        + DATADOG
        + "\"},\"public_key\":\""
        + CredentialSealing.encodePublicKey(X25519Keys.rawPublicKey(keys.getPublic()))
        + "\"}";
  }

  private static long now() {
    return CLOCK.millis() / 1000;
  }

  private static ApiClient.Response signed(String appKey, String agentToken, String body) {
    return service.api.postSigned(
        "/v1/resolve", appKey, agentToken, body, now(), RequestSigning.newNonce());
  }

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

  private static long resolvedOk() {
    return service.count(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'resolve' AND outcome = 'allowed'");
  }

  /**
   * The problem for a refused request: its code, and a detail that repeats nothing of the header.
   */
  private static void assertRefused(
      ApiClient.Response r, int status, String code, String authorization) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.code()).isEqualTo(code);
    assertThat(r.contentType()).startsWith("application/problem+json");
    for (String part : authorization.split("[ ,=]+")) {
      if (part.length() >= 16) {
        assertThat(r.body()).doesNotContain(part);
      }
    }
  }

  @Test
  void aSignedResolveGetsTheCredential() throws Exception {
    Fixture f = fixture("signed-dd-key");
    KeyPair keys = X25519Keys.generate();
    assertThat(opened(signed(f.appKey(), null, body(f.grantId(), null, keys)), keys))
        .isEqualTo("signed-dd-key");
  }

  @Test
  void aSignatureByAnotherKeyIsRefusedAndNothingResolved() {
    Fixture f = fixture("k1");
    String body = body(f.grantId(), null, X25519Keys.generate());
    String other =
        service.createApp("other-" + System.nanoTime()).path("api_key").path("key").asText();
    // the other key's signature, presented under this key's id
    String forged =
        service
            .api
            .signature("/v1/resolve", other, null, body, now(), RequestSigning.newNonce())
            .replace(ProofKey.keyIdOf(other), ProofKey.keyIdOf(f.appKey()));
    long before = resolvedOk();
    assertRefused(
        service.api.sendWithAuthorization("POST", "/v1/resolve", forged, body),
        401,
        "signature_rejected",
        forged);
    assertThat(resolvedOk()).isEqualTo(before);
    assertThat(
            service.count(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'resolve' AND outcome <> 'allowed' "
                    + "AND reason LIKE 'signature_rejected: the signature does not verify%'"))
        .isPositive();
  }

  @Test
  void anUnknownOrRevokedKeyIdIsUnauthorized() {
    Fixture f = fixture("k2");
    String body = body(f.grantId(), null, X25519Keys.generate());
    ApiClient.Response unknown = signed("alter_key_app_" + "Z".repeat(43), null, body);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.code()).isEqualTo("unauthorized_app");

    JsonNode app = service.createApp("revoked-" + System.nanoTime());
    String appId = app.path("app_id").asText();
    String keyId = app.path("api_key").path("key_id").asText();
    ApiClient.Response revoke =
        service.api.delete("/v1/apps/" + appId + "/keys/" + keyId, service.adminKey);
    assertThat(revoke.status()).as(revoke.body()).isLessThan(300);
    ApiClient.Response revoked = signed(app.path("api_key").path("key").asText(), null, body);
    assertThat(revoked.code()).isEqualTo("unauthorized_app");
  }

  @Test
  void staleAndFutureTimestampsAreRefused() {
    Fixture f = fixture("k3");
    String body = body(f.grantId(), null, X25519Keys.generate());
    long before = resolvedOk();
    // well outside the 60 s window, so a loaded machine's delay before the request cannot bring a
    // future timestamp back inside it
    for (long ts : new long[] {now() - 75, now() + 75, 0}) {
      String authorization =
          service.api.signature(
              "/v1/resolve", f.appKey(), null, body, ts, RequestSigning.newNonce());
      ApiClient.Response r =
          service.api.sendWithAuthorization("POST", "/v1/resolve", authorization, body);
      assertRefused(r, 401, "signature_rejected", authorization);
      assertThat(r.json().path("detail").asText()).contains("60 s");
    }
    // inside the window either way
    for (long ts : new long[] {now() - 45, now() + 45}) {
      assertThat(
              service
                  .api
                  .postSigned("/v1/resolve", f.appKey(), null, body, ts, RequestSigning.newNonce())
                  .status())
          .isEqualTo(200);
    }
    assertThat(resolvedOk()).isEqualTo(before + 2);
  }

  @Test
  void aReplayedRequestIsRefused() {
    Fixture f = fixture("k4");
    String body = body(f.grantId(), null, X25519Keys.generate());
    String authorization =
        service.api.signature(
            "/v1/resolve", f.appKey(), null, body, now(), RequestSigning.newNonce());
    assertThat(
            service.api.sendWithAuthorization("POST", "/v1/resolve", authorization, body).status())
        .isEqualTo(200);
    long before = resolvedOk();
    ApiClient.Response replay =
        service.api.sendWithAuthorization("POST", "/v1/resolve", authorization, body);
    assertRefused(replay, 401, "signature_rejected", authorization);
    assertThat(replay.json().path("detail").asText()).contains("nonce was already used");
    // the window passes: the timestamp now refuses it, though the nonce was forgotten long ago
    CLOCK.pin(java.time.Instant.now().plusSeconds(120));
    try {
      assertRefused(
          service.api.sendWithAuthorization("POST", "/v1/resolve", authorization, body),
          401,
          "signature_rejected",
          authorization);
    } finally {
      CLOCK.followSystemTime();
    }
    assertThat(resolvedOk()).isEqualTo(before);
  }

  @Test
  void aBodyAlteredAfterSigningIsRefused() {
    Fixture f = fixture("k5");
    String body = body(f.grantId(), null, X25519Keys.generate());
    String authorization =
        service.api.signature(
            "/v1/resolve", f.appKey(), null, body, now(), RequestSigning.newNonce());
    // the same request, its public key swapped for the attacker's own
    String altered = body(f.grantId(), null, X25519Keys.generate());
    long before = resolvedOk();
    assertRefused(
        service.api.sendWithAuthorization("POST", "/v1/resolve", authorization, altered),
        401,
        "signature_rejected",
        authorization);
    assertThat(resolvedOk()).isEqualTo(before);
  }

  @Test
  void aSignatureForAnotherPathOrHostIsRefused() {
    Fixture f = fixture("k6");
    String body = body(f.grantId(), null, X25519Keys.generate());
    String forAppsRoute =
        service.api.signature("/v1/apps", f.appKey(), null, body, now(), RequestSigning.newNonce());
    assertRefused(
        service.api.sendWithAuthorization("POST", "/v1/resolve", forAppsRoute, body),
        401,
        "signature_rejected",
        forAppsRoute);
    String forOtherHost =
        RequestSigning.sign(
                ProofKey.fromKey(f.appKey()),
                null,
                "POST",
                java.net.URI.create("https://alter.elsewhere.test/v1/resolve"),
                body.getBytes(StandardCharsets.UTF_8),
                now(),
                RequestSigning.newNonce())
            .format();
    assertRefused(
        service.api.sendWithAuthorization("POST", "/v1/resolve", forOtherHost, body),
        401,
        "signature_rejected",
        forOtherHost);
  }

  @Test
  void aMalformedSignatureHeaderIsRefusedWithoutEchoingIt() {
    Fixture f = fixture("k7");
    String body = body(f.grantId(), null, X25519Keys.generate());
    String good =
        service.api.signature(
            "/v1/resolve", f.appKey(), null, body, now(), RequestSigning.newNonce());
    for (String bad :
        List.of(
            good.replaceFirst("nonce=[^,]+, ", ""),
            good + ", sig=" + "A".repeat(40),
            good.replace("keyId=", "keyId=XYZ"),
            good + ", mystery=" + "Q".repeat(30))) {
      assertRefused(
          service.api.sendWithAuthorization("POST", "/v1/resolve", bad, body),
          401,
          "signature_rejected",
          bad);
    }
  }

  @Test
  void anAgentProvesItsTokenWithoutSendingIt() throws Exception {
    Fixture f = fixture("unused");
    JsonNode app = service.createApp("agent-proof-" + System.nanoTime());
    String appKey = app.path("api_key").path("key").asText();
    String secret =
        service
            .createSecret(app.path("app_id").asText(), "datadog", "agent-dd-key", null)
            .path("secret_id")
            .asText();
    JsonNode agent = service.createAgent("exporter");
    String agentId = agent.path("agent_id").asText();
    String token = agent.path("token").asText();
    String grant =
        service.createGrant(
            secret, "exporter", "{\"type\":\"agent\",\"agent_id\":\"" + agentId + "\"}");
    KeyPair keys = X25519Keys.generate();

    assertThat(opened(signed(appKey, token, body(grant, null, keys)), keys))
        .isEqualTo("agent-dd-key");
    assertThat(
            service.count(
                "SELECT COUNT(*) FROM audit_events WHERE grant_id = '"
                    + grant
                    + "' AND outcome = 'allowed' AND principal = 'agent:"
                    + agentId
                    + "'"))
        .isEqualTo(1);

    // without the proof the agent grant is not satisfied
    assertThat(signed(appKey, null, body(grant, null, keys)).code())
        .isEqualTo("principal_mismatch");
    // another agent's token proves another agent
    String stranger = service.createAgent("stranger").path("token").asText();
    assertThat(signed(appKey, stranger, body(grant, null, keys)).code())
        .isEqualTo("principal_mismatch");
    // a proof and a token in the body at once is ambiguous
    assertThat(signed(appKey, token, body(grant, token, keys)).code())
        .isEqualTo("validation_failed");
    // an agent signature that is not the token's
    String authorization =
        service
            .api
            .signature(
                "/v1/resolve",
                appKey,
                stranger,
                body(grant, null, keys),
                now(),
                RequestSigning.newNonce())
            .replace(ProofKey.keyIdOf(stranger), ProofKey.keyIdOf(token));
    ApiClient.Response forged =
        service.api.sendWithAuthorization(
            "POST", "/v1/resolve", authorization, body(grant, null, keys));
    assertThat(forged.code()).isEqualTo("identity_invalid");
    // a revoked agent's proof no longer resolves
    ApiClient.Response revoke =
        service.api.post("/v1/agents/" + agentId + "/revoke", service.adminKey, "{}");
    assertThat(revoke.status()).as(revoke.body()).isLessThan(300);
    assertThat(signed(appKey, token, body(grant, null, keys)).code()).isEqualTo("identity_invalid");
    assertThat(f.grantId()).isNotEqualTo(grant);
  }

  @Test
  void theStoreHoldsNothingARequestCouldBeForgedFrom() throws Exception {
    JsonNode app = service.createApp("dump-" + System.nanoTime());
    String appKey = app.path("api_key").path("key").asText();
    String token = service.createAgent("dumped").path("token").asText();
    String dump =
        String.join("\n", service.rows("api_keys"))
            + "\n"
            + String.join("\n", service.rows("agent_tokens"));
    for (String secret : List.of(appKey, token, service.adminKey)) {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      ProofKey proof = ProofKey.fromKey(secret);
      assertThat(dump)
          .contains(proof.keyId())
          .doesNotContain(secret)
          .doesNotContain(secret.substring(secret.indexOf('_', "alter_key_".length()) + 1))
          .doesNotContainIgnoringCase(HexFormat.of().formatHex(hash))
          .doesNotContain(Base64.getEncoder().encodeToString(hash))
          .doesNotContainIgnoringCase(proof.privateScalar().toString(16))
          .doesNotContain(proof.privateScalar().toString());
    }
    assertThat(columns("api_keys"))
        .doesNotContain("key_hash")
        .contains("proof_key_id", "public_key");
    assertThat(columns("agent_tokens"))
        .doesNotContain("token_hash")
        .contains("proof_key_id", "public_key");
  }

  private static List<String> columns(String table) {
    String row = service.rows(table).get(0);
    return java.util.Arrays.stream(row.split(";"))
        .map(c -> c.substring(0, c.indexOf('=')).toLowerCase(java.util.Locale.ROOT))
        .toList();
  }
}
