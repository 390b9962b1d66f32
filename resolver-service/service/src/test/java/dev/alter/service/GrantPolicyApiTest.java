package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.alter.contract.CredentialPayload;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.ResolveResponse;
import dev.alter.contract.X25519Keys;
import dev.alter.contract.policy.RequestPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Grant policies through the API: set at creation and in place, shown, audited, validated; and
 * enforced at resolve time (window, not_before, network, resolve cap) with the TTL cut at the end
 * of the window or the expiry, the agent's part sealed into the answer.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class GrantPolicyApiTest {
  private static final ObjectMapper SNAKE =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  static final SettableClock CLOCK = new SettableClock();

  @Parameter Backend backend;
  static TestService service;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    service = TestService.start(backend, GrantPolicyApiTest.class, CLOCK);
  }

  @AfterEach
  void unpin() {
    CLOCK.followSystemTime();
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    service.close();
  }

  private record Fixture(String appKey, String secretId) {}

  private static Fixture github() {
    JsonNode app = service.createApp("policy-" + System.nanoTime());
    String secretId =
        service
            .createSecret(app.path("app_id").asText(), "github", "ghp_policy_value", null)
            .path("secret_id")
            .asText();
    return new Fixture(app.path("api_key").path("key").asText(), secretId);
  }

  private static ApiClient.Response createGrant(Fixture f, String extra) {
    return service.api.post(
        "/v1/grants",
        service.adminKey,
        "{\"secret_id\":\""
            + f.secretId()
            + "\",\"principal\":{\"type\":\"system\",\"label\":\"bot\"}"
            + extra
            + "}");
  }

  private static String grantWith(Fixture f, String policyJson) {
    ApiClient.Response r = createGrant(f, ",\"policy\":" + policyJson);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.text("grant_id");
  }

  private static ApiClient.Response resolve(Fixture f, String grant, KeyPair keys) {
    return service.api.post(
        "/v1/resolve",
        f.appKey(),
        "{\"grant\":\""
            + grant
            + "\",\"destination\":{\"method\":\"GET\",\"url\":\"https://api.github.com/repos/a/b\"},"
            + "\"public_key\":\""
            + CredentialSealing.encodePublicKey(X25519Keys.rawPublicKey(keys.getPublic()))
            + "\"}");
  }

  private static ApiClient.Response resolve(Fixture f, String grant) {
    return resolve(f, grant, X25519Keys.generate());
  }

  @Test
  void policyIsSetAtCreationShownEverywhereAndChangedInPlace() {
    Fixture f = github();
    String grantId =
        grantWith(
            f,
            "{\"requests\":[\"GET /repos/*/*\",\"* /v1/**\"],\"windows\":[{\"days\":[\"mon-fri\"],"
                + "\"from\":\"08:00\",\"to\":\"18:00\",\"zone\":\"Europe/Berlin\"}]}");
    JsonNode shown = service.api.get("/v1/grants/" + grantId, service.adminKey).json();
    assertThat(shown.path("policy").toString())
        .isEqualTo(
            "{\"windows\":[{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"],\"from\":\"08:00\","
                + "\"to\":\"18:00\",\"zone\":\"Europe/Berlin\"}],\"requests\":[\"GET /repos/*/*\",\"/v1/**\"]}");
    JsonNode listed =
        service.api.get("/v1/grants?secret_id=" + f.secretId(), service.adminKey).json();
    assertThat(listed.path("grants").get(0).path("policy")).isEqualTo(shown.path("policy"));

    ApiClient.Response changed =
        service.api.put(
            "/v1/grants/" + grantId + "/policy",
            service.adminKey,
            "{\"rate_limits\":[{\"requests\":60,\"per_seconds\":60}],\"max_body_bytes\":1024}");
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.text("grant_id")).isEqualTo(grantId);
    assertThat(changed.json().path("policy").toString())
        .isEqualTo(
            "{\"rate_limits\":[{\"requests\":60,\"per_seconds\":60,\"per\":\"grant\"}],\"max_body_bytes\":1024}");
    assertThat(service.api.get("/v1/grants/" + grantId, service.adminKey).json())
        .isEqualTo(changed.json());
    assertThat(
            service.count(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'grant.policy' AND grant_id = '"
                    + grantId
                    + "' AND reason LIKE 'policy {\"rate_limits\"%'"))
        .isEqualTo(1);

    // the same policy again changes and audits nothing; {} removes it
    service.api.put(
        "/v1/grants/" + grantId + "/policy",
        service.adminKey,
        "{\"rate_limits\":[{\"requests\":60,\"per_seconds\":60}],\"max_body_bytes\":1024}");
    ApiClient.Response cleared =
        service.api.put("/v1/grants/" + grantId + "/policy", service.adminKey, "{}");
    assertThat(cleared.json().has("policy")).isTrue();
    assertThat(cleared.json().path("policy").isNull()).isTrue();
    assertThat(
            service.count(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'grant.policy' AND grant_id = '"
                    + grantId
                    + "'"))
        .isEqualTo(2);
    // the audit API and the portal's filter find policy changes by their action
    JsonNode audited =
        service
            .api
            .get("/v1/audit?action=grant.policy&grant_id=" + grantId, service.adminKey)
            .json();
    assertThat(audited.path("events")).hasSize(2);
  }

  @Test
  void badPoliciesAreClearFourHundredsAndChangeNothing() {
    Fixture f = github();
    String grantId = grantWith(f, "{\"requests\":[\"GET /repos/*/*\"]}");
    Map<String, List<String>> before = service.snapshot();
    Map<String, String> bad =
        Map.of(
            "{\"windows\":[{\"days\":[\"mon\"],\"from\":\"08:00\",\"to\":\"18:00\",\"zone\":\"Europe/Berln\"}]}",
                "policy.windows[0].zone is not a known IANA time zone",
            "{\"windows\":[{\"days\":[\"mon\"],\"from\":\"18:00\",\"to\":\"08:00\",\"zone\":\"UTC\"}]}",
                "policy.windows[0] from must be before to",
            "{\"networks\":[\"10.0.0.0/33\"]}",
                "policy.networks[0] has a prefix length larger than 32",
            "{\"networks\":[\"2001:db8::1/32\"]}", "policy.networks[0] has address bits set",
            "{\"requests\":[\"GET /repos/**x\"]}", "policy.requests[0]",
            "{\"requests\":[\"GET repos\"]}", "policy.requests[0]: a path pattern starts with '/'",
            "{\"colour\":\"red\"}", "known fields: max_body_bytes");
    bad.forEach(
        (policy, message) -> {
          ApiClient.Response update =
              service.api.put("/v1/grants/" + grantId + "/policy", service.adminKey, policy);
          assertThat(update.status()).as(policy).isEqualTo(400);
          assertThat(update.code()).isEqualTo("validation_failed");
          assertThat(update.json().path("detail").asText()).as(policy).contains(message);
          ApiClient.Response create = createGrant(f, ",\"policy\":" + policy);
          assertThat(create.status()).as(policy).isEqualTo(400);
          assertThat(create.code()).isEqualTo("validation_failed");
        });
    assertThat(service.snapshot()).isEqualTo(before);
  }

  @Test
  void aWindowAllowsResolvesOnlyInsideItAndTheTtlEndsAtItsClose() throws Exception {
    Fixture f = github();
    // Monday 2026-12-07, Berlin is +01:00: 08:00-18:00 local is 07:00-17:00 UTC
    String grantId =
        grantWith(
            f,
            "{\"windows\":[{\"days\":[\"mon-fri\"],\"from\":\"08:00\",\"to\":\"18:00\",\"zone\":\"Europe/Berlin\"}]}");
    CLOCK.pin(Instant.parse("2026-12-07T06:59:59.999Z"));
    ApiClient.Response early = resolve(f, grantId);
    assertThat(early.status()).isEqualTo(403);
    assertThat(early.code()).isEqualTo("policy_violation");
    assertThat(early.json().path("detail").asText()).contains("rule windows");

    CLOCK.pin(Instant.parse("2026-12-07T07:00:00Z"));
    ApiClient.Response open = resolve(f, grantId);
    assertThat(open.status()).as(open.body()).isEqualTo(200);
    assertThat(open.json().path("ttl_seconds").asInt()).isEqualTo(60);

    CLOCK.pin(Instant.parse("2026-12-07T16:59:30Z"));
    KeyPair keys = X25519Keys.generate();
    ApiClient.Response closing = resolve(f, grantId, keys);
    assertThat(closing.json().path("ttl_seconds").asInt())
        .as("never a TTL past the window's end")
        .isEqualTo(30);
    RequestPolicy sealed = open(closing, keys, grantId).requestPolicy();
    assertThat(sealed.validForMillis()).as("until 17:00:00 UTC").isEqualTo(30_000);

    CLOCK.pin(Instant.parse("2026-12-07T17:00:00Z"));
    assertThat(resolve(f, grantId).code()).isEqualTo("policy_violation");
    assertThat(
            service.count(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'resolve' AND grant_id = '"
                    + grantId
                    + "' AND outcome = 'denied' AND reason LIKE '%rule windows%'"))
        .isEqualTo(2);
  }

  @Test
  void theTtlNeverReachesPastTheExpiryAndNotBeforeHolds() {
    Fixture f = github();
    Instant now = Instant.parse("2026-12-07T12:00:00Z");
    CLOCK.pin(now);
    ApiClient.Response g =
        createGrant(
            f,
            ",\"expires_at\":\""
                + now.plusSeconds(20)
                + "\",\"policy\":{\"not_before\":\""
                + now.plusSeconds(5)
                + "\"}");
    assertThat(g.status()).as(g.body()).isEqualTo(201);
    String grantId = g.text("grant_id");
    CLOCK.pin(now.plusSeconds(5).minusMillis(1));
    ApiClient.Response early = resolve(f, grantId);
    assertThat(early.code()).isEqualTo("policy_violation");
    assertThat(early.json().path("detail").asText()).contains("rule not_before");
    CLOCK.pin(now.plusSeconds(5));
    ApiClient.Response r = resolve(f, grantId);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("ttl_seconds").asInt()).isEqualTo(15);
    assertThat(r.json().path("policy_sealed").asBoolean())
        .as("an expiry alone asks the agent to stop at it")
        .isTrue();
    ApiClient.Response inverted =
        createGrant(
            f,
            ",\"expires_at\":\""
                + now.plusSeconds(20)
                + "\",\"policy\":{\"not_before\":\""
                + now.plusSeconds(20)
                + "\"}");
    assertThat(inverted.status()).isEqualTo(400);
    assertThat(inverted.json().path("detail").asText())
        .contains("policy.not_before must be before the grant's expires_at");
  }

  @Test
  void callerNetworksAreTheConnectionsAddressAndForwardedForIsIgnoredByDefault() throws Exception {
    Fixture f = github();
    String loopback = grantWith(f, "{\"networks\":[\"127.0.0.0/8\",\"::1/128\"]}");
    String elsewhere = grantWith(f, "{\"networks\":[\"10.0.0.0/8\"]}");
    assertThat(resolve(f, loopback).status()).isEqualTo(200);
    ApiClient.Response refused = resolve(f, elsewhere);
    assertThat(refused.code()).isEqualTo("policy_violation");
    assertThat(refused.json().path("detail").asText()).contains("rule networks");
    assertThat(resolveForwardedFor(service, f, elsewhere, "10.1.2.3").statusCode())
        .as("without ALTER_TRUSTED_PROXIES the header names no one")
        .isEqualTo(403);
  }

  @Test
  void aTrustedProxysForwardedForNamesTheClient() throws Exception {
    TestStore store = TestStore.create(backend, GrantPolicyApiTest.class);
    try (TestService proxied =
        TestService.start(store, store.config().trustedProxies(List.of("127.0.0.1/32")).build())) {
      JsonNode app = proxied.createApp("proxied-" + System.nanoTime());
      String secretId =
          proxied
              .createSecret(app.path("app_id").asText(), "github", "ghp_proxied", null)
              .path("secret_id")
              .asText();
      Fixture f = new Fixture(app.path("api_key").path("key").asText(), secretId);
      ApiClient.Response g =
          proxied.api.post(
              "/v1/grants",
              proxied.adminKey,
              "{\"secret_id\":\""
                  + secretId
                  + "\",\"principal\":{\"type\":\"system\",\"label\":\"bot\"},"
                  + "\"policy\":{\"networks\":[\"10.0.0.0/8\"]}}");
      String grantId = g.text("grant_id");
      assertThat(resolveForwardedFor(proxied, f, grantId, "10.255.255.255").statusCode())
          .isEqualTo(200);
      assertThat(resolveForwardedFor(proxied, f, grantId, "11.0.0.0").statusCode()).isEqualTo(403);
      assertThat(resolveForwardedFor(proxied, f, grantId, "11.0.0.0, 10.0.0.1").statusCode())
          .as("the right-most entry that is not a trusted proxy is the client")
          .isEqualTo(200);
      assertThat(resolveForwardedFor(proxied, f, grantId, "not-an-address").statusCode())
          .as("an unreadable entry fails closed")
          .isEqualTo(403);
    } finally {
      store.close();
    }
  }

  @Test
  void theResolveCapCountsResolvesPerMinute() {
    Fixture f = github();
    String grantId = grantWith(f, "{\"resolves_per_minute\":3}");
    Instant now = Instant.parse("2026-12-07T12:00:00Z");
    CLOCK.pin(now);
    for (int i = 0; i < 3; i++) {
      assertThat(resolve(f, grantId).status()).isEqualTo(200);
    }
    ApiClient.Response fourth = resolve(f, grantId);
    assertThat(fourth.code()).isEqualTo("policy_violation");
    assertThat(fourth.json().path("detail").asText()).contains("rule resolves_per_minute");
    CLOCK.pin(now.plusSeconds(59).plusMillis(999));
    assertThat(resolve(f, grantId).code()).isEqualTo("policy_violation");
    CLOCK.pin(now.plusSeconds(60));
    assertThat(resolve(f, grantId).status()).isEqualTo(200);
  }

  @Test
  void requestRulesAreSealedForTheAgentAndTheFlagBindsThem() throws Exception {
    Fixture f = github();
    String grantId = grantWith(f, "{\"requests\":[\"GET /repos/*/*\"],\"max_body_bytes\":0}");
    KeyPair keys = X25519Keys.generate();
    ApiClient.Response r = resolve(f, grantId, keys);
    assertThat(r.json().path("policy_sealed").asBoolean()).isTrue();
    assertThat(r.body()).doesNotContain("/repos/");
    CredentialPayload payload = open(r, keys, grantId);
    assertThat(payload.primary()).isEqualTo("ghp_policy_value");
    assertThat(payload.requestPolicy().allowsRequest("GET", "/repos/a/b")).isTrue();
    assertThat(payload.requestPolicy().allowsRequest("DELETE", "/repos/a/b")).isFalse();
    assertThat(payload.requestPolicy().maxBodyBytes()).isZero();
    ResolveResponse stripped = SNAKE.readValue(r.body(), ResolveResponse.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                CredentialSealing.open(
                    keys.getPrivate(),
                    X25519Keys.rawPublicKey(keys.getPublic()),
                    grantId,
                    1,
                    false,
                    stripped.getSealed()))
        .as("an answer whose policy flag was removed on the way does not open")
        .isInstanceOf(java.security.GeneralSecurityException.class);
  }

  @Test
  void agentsReportRefusalsAggregatedOneAuditRowPerGrantAndRule() {
    Fixture f = github();
    String grantId = grantWith(f, "{\"requests\":[\"GET /repos/*/*\"]}");
    Fixture other = github();
    String othersGrant = grantWith(other, "{\"requests\":[\"GET /repos/*/*\"]}");
    ApiClient.Response r =
        service.api.post(
            "/v1/policy-refusals",
            f.appKey(),
            "{\"refusals\":[{\"grant_id\":\""
                + grantId
                + "\",\"rule\":\"requests\",\"refused\":41,\"since\":\"2026-12-07T08:00:00Z\"},"
                + "{\"grant_id\":\""
                + grantId
                + "\",\"rule\":\"rate_limit 60/60s per grant\",\"refused\":2},"
                + "{\"grant_id\":\""
                + othersGrant
                + "\",\"rule\":\"requests\",\"refused\":5}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(r.json().path("recorded").asInt()).isEqualTo(2);
    assertThat(
            service.count(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'grant.policy_refused' AND grant_id = '"
                    + grantId
                    + "' AND outcome = 'denied' AND reason = "
                    + "'rule requests refused 41 request(s) before sending since 2026-12-07T08:00:00Z'"))
        .isEqualTo(1);
    assertThat(
            service.count(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'grant.policy_refused' AND grant_id = '"
                    + othersGrant
                    + "'"))
        .as("another app's grant is left out")
        .isZero();
    Map<String, List<String>> before = service.snapshot();
    ApiClient.Response bad =
        service.api.post(
            "/v1/policy-refusals",
            f.appKey(),
            "{\"refusals\":[{\"grant_id\":\""
                + grantId
                + "\",\"rule\":\"Robert'); DROP\",\"refused\":1}]}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("detail").asText()).contains("refusals[0].rule");
    assertThat(
            service.api.post("/v1/policy-refusals", service.adminKey, "{\"refusals\":[]}").code())
        .as("admin keys manage, agents report")
        .isEqualTo("forbidden");
    assertThat(service.snapshot()).isEqualTo(before);
  }

  private static CredentialPayload open(ApiClient.Response r, KeyPair keys, String grantId)
      throws Exception {
    ResolveResponse answer = SNAKE.readValue(r.body(), ResolveResponse.class);
    return CredentialSealing.open(
        keys.getPrivate(),
        X25519Keys.rawPublicKey(keys.getPublic()),
        grantId,
        answer.getCredentialVersion(),
        answer.isPolicySealed(),
        answer.getSealed());
  }

  private static HttpResponse<String> resolveForwardedFor(
      TestService s, Fixture f, String grant, String forwardedFor) throws Exception {
    KeyPair keys = X25519Keys.generate();
    String body =
        "{\"grant\":\""
            + grant
            + "\",\"destination\":{\"method\":\"GET\",\"url\":\"https://api.github.com/repos/a/b\"},"
            + "\"public_key\":\""
            + CredentialSealing.encodePublicKey(X25519Keys.rawPublicKey(keys.getPublic()))
            + "\"}";
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(s.running.baseUrl() + "/v1/resolve"))
                .header("Authorization", "Bearer " + f.appKey())
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
