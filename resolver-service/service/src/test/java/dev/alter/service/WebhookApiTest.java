package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Webhook receivers: registration rules, the signing secret shown once and stored encrypted,
 * delivery in order after the receiver was down, failing after the retry period and replay from a
 * cursor, and a receiver following API.md's verification refusing tampered and replayed deliveries.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class WebhookApiTest {
  @Parameter Backend backend;
  static TestService service;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    TestStore store = TestStore.create(backend, WebhookApiTest.class);
    service =
        TestService.startOwning(
            store,
            store
                .config()
                .webhookBackoffMillis(50)
                .webhookMaxBackoffSeconds(1)
                .webhookRetrySeconds(3)
                .build());
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    service.close();
  }

  static JsonNode register(String url) {
    ApiClient.Response r =
        service.api.post(
            "/v1/webhooks",
            service.adminKey,
            "{\"url\":" + ApiClient.quote(url) + ",\"allow_plain_http\":true}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  static void delete(String receiverId) {
    assertThat(service.api.delete("/v1/webhooks/" + receiverId, service.adminKey).status())
        .isEqualTo(200);
  }

  /** Makes {@code n} audit events of one new app; returns the app id. */
  static String writeEvents(int n) {
    String appId = service.createApp("hook-" + System.nanoTime()).path("app_id").asText();
    for (int i = 2; i < n; i++) {
      service.createSecret(appId, "stripe", "sk-hook-" + i, null);
    }
    return appId;
  }

  static List<String> exportedIds(String appId) throws Exception {
    List<String> ids = new ArrayList<>();
    for (JsonNode e : AuditExportApiTest.drainFor(service, "0")) {
      if (appId.equals(e.path("app_id").asText())) {
        ids.add(e.path("event_id").asText());
      }
    }
    return ids;
  }

  static List<String> acceptedIds(SignedWebhookReceiver receiver, String appId) {
    return receiver.accepted().stream()
        .filter(e -> appId.equals(e.path("app_id").asText()))
        .map(e -> e.path("event_id").asText())
        .toList();
  }

  @Test
  void httpsIsRequiredUnlessPlainHttpIsAllowedAndBadUrlsAreRefused() {
    for (String body :
        List.of(
            "{\"url\":\"http://127.0.0.1:9/hook\"}",
            "{\"url\":\"ftp://example.com/x\"}",
            "{\"url\":\"https://user:pw@example.com/x\"}",
            "{\"url\":\"not a url\"}",
            "{}")) {
      ApiClient.Response r = service.api.post("/v1/webhooks", service.adminKey, body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.code()).isEqualTo("validation_failed");
    }
    ApiClient.Response https =
        service.api.post(
            "/v1/webhooks", service.adminKey, "{\"url\":\"https://siem.example.com/alter\"}");
    assertThat(https.status()).as(https.body()).isEqualTo(201);
    delete(https.json().path("receiver").path("receiver_id").asText());
  }

  @Test
  void theSigningSecretIsShownOnceAndStoredEncrypted() throws Exception {
    try (SignedWebhookReceiver receiver = new SignedWebhookReceiver()) {
      JsonNode created = register(receiver.url());
      String secret = created.path("signing_secret").asText();
      String id = created.path("receiver").path("receiver_id").asText();
      assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
      assertThat(service.api.get("/v1/webhooks/" + id, service.adminKey).body())
          .doesNotContain(secret)
          .contains(id);
      assertThat(service.api.get("/v1/webhooks", service.adminKey).body()).doesNotContain(secret);
      assertThat(service.api.get("/v1/audit?limit=50", service.adminKey).body())
          .doesNotContain(secret)
          .contains("webhook.create");
      assertThat(service.rows("webhook_receivers").toString()).doesNotContain(secret);
      delete(id);
    }
  }

  @Test
  void aReceiverDownForAWhileGetsEveryEventInOrderOnceBack() throws Exception {
    try (SignedWebhookReceiver receiver = new SignedWebhookReceiver()) {
      receiver.down = true;
      JsonNode created = register(receiver.url());
      receiver.secret(created.path("signing_secret").asText());
      String id = created.path("receiver").path("receiver_id").asText();
      String appId = writeEvents(12);
      Eventually.within(Duration.ofSeconds(30), () -> receiver.attempts() >= 3);
      JsonNode r = service.api.get("/v1/webhooks/" + id, service.adminKey).json();
      assertThat(r.path("status").asText()).isEqualTo("active");
      assertThat(r.path("failed_attempts").asInt()).isGreaterThan(0);
      assertThat(r.path("last_error").asText()).contains("503");
      assertThat(r.path("backlog").asLong()).isGreaterThanOrEqualTo(12);
      receiver.down = false;
      List<String> expected = exportedIds(appId);
      assertThat(expected).hasSize(12);
      Eventually.within(Duration.ofSeconds(60), () -> acceptedIds(receiver, appId).size() == 12);
      assertThat(acceptedIds(receiver, appId)).containsExactlyElementsOf(expected);
      assertThat(receiver.rejected()).isZero();
      JsonNode state = service.api.get("/v1/webhooks/" + id, service.adminKey).json();
      assertThat(state.path("failed_attempts").asInt()).isZero();
      delete(id);
    }
  }

  @Test
  void afterTheRetryPeriodTheReceiverIsFailingAndReplayFromACursorResumesIt() throws Exception {
    try (SignedWebhookReceiver receiver = new SignedWebhookReceiver()) {
      receiver.down = true;
      JsonNode created = register(receiver.url());
      receiver.secret(created.path("signing_secret").asText());
      String id = created.path("receiver").path("receiver_id").asText();
      String start = created.path("receiver").path("delivered_cursor").asText();
      String appId = writeEvents(4);
      Eventually.within(
          Duration.ofSeconds(60),
          () ->
              service
                  .api
                  .get("/v1/webhooks/" + id, service.adminKey)
                  .json()
                  .path("status")
                  .asText()
                  .equals("failing"));
      receiver.down = false;
      int attempts = receiver.attempts();
      Thread.sleep(1500);
      assertThat(receiver.attempts()).as("a failing receiver is left alone").isEqualTo(attempts);
      JsonNode replayed =
          service
              .api
              .post(
                  "/v1/webhooks/" + id + "/replay",
                  service.adminKey,
                  "{\"after\":" + ApiClient.quote(start) + "}")
              .json();
      assertThat(replayed.path("status").asText()).isEqualTo("active");
      Eventually.within(Duration.ofSeconds(30), () -> acceptedIds(receiver, appId).size() == 4);
      assertThat(acceptedIds(receiver, appId)).containsExactlyElementsOf(exportedIds(appId));
      assertThat(
              service
                  .api
                  .post("/v1/webhooks/whr_00000000000000000000/replay", service.adminKey, "{}")
                  .status())
          .isEqualTo(404);
      assertThat(
              service
                  .api
                  .post("/v1/webhooks/" + id + "/replay", service.adminKey, "{\"after\":\"x\"}")
                  .status())
          .isEqualTo(400);
      delete(id);
    }
  }

  @Test
  void aTamperedOrReplayedDeliveryIsRejectedByTheDocumentedVerification() throws Exception {
    try (SignedWebhookReceiver receiver = new SignedWebhookReceiver()) {
      JsonNode created = register(receiver.url());
      receiver.secret(created.path("signing_secret").asText());
      String id = created.path("receiver").path("receiver_id").asText();
      String appId = writeEvents(2);
      Eventually.within(Duration.ofSeconds(30), () -> acceptedIds(receiver, appId).size() == 2);
      SignedWebhookReceiver.Delivery genuine = receiver.raw().get(receiver.raw().size() - 1);
      long t = Long.parseLong(genuine.signatureHeader().replaceAll("^t=(\\d+),.*$", "$1"));
      int accepted = receiver.accepted().size();

      String body = new String(genuine.body(), StandardCharsets.UTF_8);
      byte[] tampered = body.replace("\"outcome\":\"ok\"", "\"outcome\":\"no\"").getBytes();
      assertThat(tampered).isNotEqualTo(genuine.body());
      assertThat(receiver.receive(genuine.signatureHeader(), tampered, t)).isEqualTo(400);
      String otherTime = genuine.signatureHeader().replaceFirst("t=\\d+", "t=" + (t + 1));
      assertThat(receiver.receive(otherTime, genuine.body(), t)).isEqualTo(400);
      assertThat(receiver.receive(null, genuine.body(), t)).isEqualTo(400);
      // the same signed delivery sent again later than the tolerance: refused
      assertThat(receiver.receive(genuine.signatureHeader(), genuine.body(), t + 301))
          .isEqualTo(400);
      // and within it: acknowledged (at-least-once) but not taken a second time
      assertThat(receiver.receive(genuine.signatureHeader(), genuine.body(), t + 1)).isEqualTo(204);
      assertThat(receiver.accepted()).hasSize(accepted);
      assertThat(receiver.duplicates()).isEqualTo(1);
      delete(id);
    }
  }
}
