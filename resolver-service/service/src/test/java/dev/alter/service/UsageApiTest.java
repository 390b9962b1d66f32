package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Usage reports from agents: exact per-grant totals, who may report and read, Prometheus series,
 * and the provider-rejection flag (opens on 401/403 with one audit event, clears on an accepted
 * request after a rotation).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class UsageApiTest {
  @Parameter Backend backend;
  static TestService service;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    service = TestService.start(backend, UsageApiTest.class);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    service.close();
  }

  record Fixture(String appId, String appKey, String secretId, String grantId) {}

  static Fixture fixture() {
    JsonNode app = service.createApp("usage-" + System.nanoTime());
    String appId = app.path("app_id").asText();
    String secretId =
        service.createSecret(appId, "stripe", "sk-usage-1", null).path("secret_id").asText();
    String grantId = service.createSystemGrant(secretId, "usage").path("grant_id").asText();
    return new Fixture(appId, app.path("api_key").path("key").asText(), secretId, grantId);
  }

  static String minute() {
    return Instant.now().truncatedTo(ChronoUnit.MINUTES).toString();
  }

  static String entry(String grantId, long injected, long ok, long s401, long s403, long s429) {
    return "{\"grant_id\":\""
        + grantId
        + "\",\"minute\":\""
        + minute()
        + "\",\"injected\":"
        + injected
        + ",\"refused\":{\"host_not_allowed\":1},\"responses\":{\"2xx\":"
        + ok
        + ",\"4xx\":"
        + (s401 + s403 + s429)
        + "},\"401\":"
        + s401
        + ",\"403\":"
        + s403
        + ",\"429\":"
        + s429
        + "}";
  }

  static ApiClient.Response report(String appKey, String... entries) {
    return service.api.post(
        "/v1/usage/report",
        appKey,
        "{\"batch_id\":\"b1\",\"entries\":[" + String.join(",", entries) + "]}");
  }

  static JsonNode usageOf(String grantId) {
    ApiClient.Response r = service.api.get("/v1/usage?grant_id=" + grantId, service.adminKey);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static long providerRejectedEvents(String secretId) {
    return service.count(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'provider.rejected' AND secret_id = '"
            + secretId
            + "'");
  }

  @Test
  void reportsAddUpExactlyPerGrant() {
    Fixture f = fixture();
    assertThat(report(f.appKey(), entry(f.grantId(), 5, 4, 1, 0, 0)).status()).isEqualTo(202);
    assertThat(report(f.appKey(), entry(f.grantId(), 3, 1, 0, 1, 1)).status()).isEqualTo(202);
    JsonNode usage = usageOf(f.grantId());
    assertThat(usage.path("grants")).hasSize(1);
    JsonNode g = usage.path("grants").get(0);
    assertThat(g.path("secret_id").asText()).isEqualTo(f.secretId());
    assertThat(g.path("injected").asLong()).isEqualTo(8);
    assertThat(g.path("refused").asLong()).isEqualTo(2);
    assertThat(g.path("responses").path("2xx").asLong()).isEqualTo(5);
    assertThat(g.path("responses").path("4xx").asLong()).isEqualTo(3);
    assertThat(g.path("401").asLong()).isEqualTo(1);
    assertThat(g.path("403").asLong()).isEqualTo(1);
    assertThat(g.path("429").asLong()).isEqualTo(1);
    assertThat(usage.path("refused_by_code").path(f.grantId()).path("host_not_allowed").asLong())
        .isEqualTo(2);
    assertThat(
            service
                .api
                .get("/v1/usage?secret_id=" + f.secretId(), service.adminKey)
                .json()
                .path("grants"))
        .hasSize(1);
    String metrics = service.api.get("/metrics", null).body();
    assertThat(metrics)
        .contains("alter_grant_usage_total{grant=\"" + f.grantId() + "\",kind=\"injected\"} 8.0");
  }

  @Test
  void onlyTheGrantsAppReportsAndOnlyOperatorsRead() {
    Fixture f = fixture();
    Fixture other = fixture();
    ApiClient.Response foreign = report(other.appKey(), entry(f.grantId(), 1, 1, 0, 0, 0));
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(report(service.adminKey, entry(f.grantId(), 1, 1, 0, 0, 0)).status()).isEqualTo(403);
    assertThat(service.api.get("/v1/usage", f.appKey()).status()).isEqualTo(403);
    assertThat(report(f.appKey()).status()).isEqualTo(400);
    assertThat(
            report(
                    f.appKey(),
                    entry(f.grantId(), 1, 1, 0, 0, 0).replace("\"minute\":\"", "\"minute\":\"x"))
                .status())
        .isEqualTo(400);
    assertThat(usageOf(f.grantId()).path("grants")).isEmpty();
  }

  @Test
  void rejectionFlagOpensOnceAndClearsAfterRotationAndAnAcceptedRequest() {
    Fixture f = fixture();
    report(f.appKey(), entry(f.grantId(), 2, 0, 2, 0, 0));
    report(f.appKey(), entry(f.grantId(), 1, 0, 0, 1, 0));
    JsonNode flags =
        service
            .api
            .get("/v1/usage/rejections?secret_id=" + f.secretId(), service.adminKey)
            .json()
            .path("rejections");
    assertThat(flags).hasSize(1);
    assertThat(flags.get(0).path("count").asLong()).isEqualTo(3);
    assertThat(flags.get(0).path("first_seen").asText()).isNotEmpty();
    assertThat(providerRejectedEvents(f.secretId())).as("one event per window").isEqualTo(1);
    JsonNode secret = service.api.get("/v1/secrets/" + f.secretId(), service.adminKey).json();
    assertThat(secret.path("provider_rejection").path("count").asLong()).isEqualTo(3);
    assertThat(secret.path("provider_rejection").path("first_seen").asText())
        .isEqualTo(flags.get(0).path("first_seen").asText());
    assertThat(secret.path("provider_rejection").path("last_seen").asText()).isNotEmpty();

    // an accepted request before the rotation does not clear it
    report(f.appKey(), entry(f.grantId(), 1, 1, 0, 0, 0));
    assertThat(usageOf(f.grantId()).path("provider_rejections")).hasSize(1);

    ApiClient.Response rotated =
        service.api.put(
            "/v1/secrets/" + f.secretId() + "/credential",
            service.adminKey,
            "{\"credential\":\"sk-usage-2\"}");
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    assertThat(usageOf(f.grantId()).path("provider_rejections")).hasSize(1);
    report(f.appKey(), entry(f.grantId(), 1, 1, 0, 0, 0));
    assertThat(usageOf(f.grantId()).path("provider_rejections")).isEmpty();
    assertThat(
            service
                .api
                .get("/v1/secrets/" + f.secretId(), service.adminKey)
                .json()
                .has("provider_rejection"))
        .as("the secret no longer carries the flag")
        .isFalse();
    assertThat(
            service
                .api
                .get("/v1/usage/rejections?secret_id=" + f.secretId(), service.adminKey)
                .json()
                .path("rejections"))
        .isEmpty();

    // rejected again later: a new flag and a new event
    report(f.appKey(), entry(f.grantId(), 1, 0, 1, 0, 0));
    assertThat(usageOf(f.grantId()).path("provider_rejections")).hasSize(1);
    assertThat(providerRejectedEvents(f.secretId())).isEqualTo(2);
  }
}
