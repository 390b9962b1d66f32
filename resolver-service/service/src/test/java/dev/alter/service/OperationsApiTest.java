package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Catalog, audit queries, health, metrics, size limits and unknown routes. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class OperationsApiTest {
  @Parameter Backend backend;
  static TestService service;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    service = TestService.start(backend, OperationsApiTest.class);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    service.close();
  }

  @Test
  void catalogListsEveryProviderOfTheGuide() {
    JsonNode providers =
        service.api.get("/v1/providers", service.adminKey).json().path("providers");
    assertThat(providers.findValuesAsText("id"))
        .doesNotHaveDuplicates()
        .hasSizeGreaterThanOrEqualTo(35)
        .endsWith("custom")
        .startsWith(
            "datadog",
            "stripe",
            "openai",
            "anthropic",
            "github",
            "slack",
            "sendgrid",
            "twilio",
            "aws");
    JsonNode datadog = providers.get(0);
    assertThat(datadog.path("parts").get(0).asText()).isEqualTo("application_key");
    assertThat(datadog.path("injection").path("headers").findValuesAsText("name"))
        .containsExactly("DD-API-KEY", "DD-APPLICATION-KEY");
    assertThat(datadog.path("destinations")).hasSize(6);
    JsonNode anthropic = providers.get(3);
    assertThat(anthropic.path("injection").path("headers").get(0).path("name").asText())
        .isEqualTo("x-api-key");
    JsonNode aws = providers.get(8);
    assertThat(aws.path("injection").path("type").asText()).isEqualTo("aws_sigv4");
    assertThat(aws.path("destinations").get(0).asText()).isEqualTo("https://**.amazonaws.com");
    assertThat(aws.path("required_parts").get(0).asText()).isEqualTo("secret_access_key");
  }

  @Test
  void auditIsFilteredAndPaged() {
    String appId = service.createApp("paged").path("app_id").asText();
    for (int i = 0; i < 5; i++) {
      service.createSecret(appId, "stripe", "sk-" + i, null);
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          service
              .api
              .get(
                  "/v1/audit?app_id="
                      + appId
                      + "&action=secret.create&limit=2"
                      + (cursor == null ? "" : "&cursor=" + cursor),
                  service.adminKey)
              .json();
      page.path("events").forEach(e -> seen.add(e.path("secret_id").asText()));
      cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(seen).hasSize(5).doesNotHaveDuplicates();
    assertThat(
            service
                .api
                .get("/v1/audit?app_id=" + appId + "&outcome=ok", service.adminKey)
                .json()
                .path("events"))
        .hasSize(7); // app.create, app_key.create, 5 × secret.create
    assertThat(
            service
                .api
                .get("/v1/audit?app_id=" + appId + "&outcome=denied", service.adminKey)
                .json()
                .path("events"))
        .isEmpty();
    assertThat(
            service
                .api
                .get("/v1/audit?app_id=" + appId + "&from=2999-01-01T00:00:00Z", service.adminKey)
                .json()
                .path("events"))
        .isEmpty();
    assertThat(
            service
                .api
                .get("/v1/audit?app_id=" + appId + "&to=2000-01-01T00:00:00Z", service.adminKey)
                .json()
                .path("events"))
        .isEmpty();
    assertThat(
            service
                .api
                .get(
                    "/v1/audit?app_id="
                        + appId
                        + "&from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z",
                    service.adminKey)
                .json()
                .path("events"))
        .hasSize(7);
  }

  @Test
  void badAuditQueriesAreValidationFailures() {
    for (String q :
        List.of(
            "limit=0",
            "limit=1001",
            "limit=x",
            "outcome=maybe",
            "action=secret.read",
            "from=yesterday",
            "cursor=nonsense",
            "colour=red",
            "app_id=a&app_id=b")) {
      ApiClient.Response r = service.api.get("/v1/audit?" + q, service.adminKey);
      assertThat(r.status()).as(q).isEqualTo(400);
      assertThat(r.code()).as(q).isEqualTo("validation_failed");
    }
  }

  @Test
  void healthReadinessAndMetrics() {
    assertThat(service.api.get("/healthz", null).json().path("status").asText()).isEqualTo("ok");
    assertThat(service.api.get("/readyz", null).status()).isEqualTo(200);
    service.api.get("/v1/apps", service.adminKey);
    ApiClient.Response metrics = service.api.get("/metrics", null);
    assertThat(metrics.contentType()).startsWith("text/plain");
    assertThat(metrics.body())
        .contains(
            "alter_http_requests_seconds_count{method=\"GET\",route=\"/v1/apps\",status=\"200\"}")
        .contains("alter_http_requests_seconds_bucket");
  }

  @Test
  void oversizedBodiesAreRejectedAndChangeNothing() {
    String appId = service.createApp("big").path("app_id").asText();
    Map<String, List<String>> before = service.snapshot();
    String huge =
        "{\"app_id\":\""
            + appId
            + "\",\"provider\":\"stripe\",\"label\":\"l\",\"credential\":\""
            + "x".repeat(70_000)
            + "\"}";
    ApiClient.Response r = service.api.post("/v1/secrets", service.adminKey, huge);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.code()).isEqualTo("payload_too_large");
    assertThat(service.snapshot()).isEqualTo(before);
  }

  /**
   * The 413 must reach the client even while it is still sending: the service reads and drops the
   * rest of a rejected body (up to a bound) instead of closing on unread bytes, which resets the
   * connection and can destroy the answer before the client reads it.
   */
  @Test
  void rejectedBodiesStillGetTheirAnswerWhateverTheSizeOrFraming() {
    String appId = service.createApp("bigger").path("app_id").asText();
    Map<String, List<String>> before = service.snapshot();
    for (int size : new int[] {70_000, 300_000, 900_000}) {
      String huge =
          "{\"app_id\":\""
              + appId
              + "\",\"provider\":\"stripe\",\"label\":\"l\",\"credential\":\""
              + "x".repeat(size)
              + "\"}";
      // Kept-alive connections, many times over: the lost answer was a race, seen on a loaded
      // machine.
      for (int round = 0; round < 25; round++) {
        assertThat(service.api.get("/v1/apps", service.adminKey).status()).isEqualTo(200);
        ApiClient.Response r = service.api.post("/v1/secrets", service.adminKey, huge);
        assertThat(r.status()).as("%d bytes, round %d", size, round).isEqualTo(413);
        assertThat(r.code()).isEqualTo("payload_too_large");
        // Bodies the service never reads at all: refused before authentication, or no route.
        assertThat(service.api.post("/v1/secrets", "wrong-key", huge).code())
            .isEqualTo("unauthorized");
        assertThat(service.api.post("/v2/nothing", service.adminKey, huge).code())
            .isEqualTo("not_found");
      }
      for (boolean declareLength : new boolean[] {true, false}) {
        ApiClient.Response slow =
            service.api.postSlowly("/v1/secrets", service.adminKey, huge, declareLength);
        assertThat(slow.status())
            .as("%d bytes sent slowly, Content-Length %s", size, declareLength)
            .isEqualTo(413);
        assertThat(slow.code()).isEqualTo("payload_too_large");
      }
    }
    assertThat(service.snapshot()).isEqualTo(before);
    assertThat(service.api.get("/v1/apps", service.adminKey).status()).isEqualTo(200);
  }

  @Test
  void unknownRoutesAnswerProblemJson() {
    ApiClient.Response r = service.api.get("/v2/nothing", service.adminKey);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.code()).isEqualTo("not_found");
    assertThat(r.contentType()).startsWith("application/problem+json");
  }
}
