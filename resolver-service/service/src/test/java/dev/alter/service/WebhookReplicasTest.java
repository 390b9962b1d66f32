package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one PostgreSQL store deliver each event to a receiver once (the lease), and the
 * delivery position survives a restart: events written while no replica ran arrive afterwards.
 */
class WebhookReplicasTest {
  @Test
  void twoReplicasDeliverEachEventOnceInOrderAndARestartResumesWhereDeliveryStopped()
      throws Exception {
    try (TestStore store = TestStore.create(Backend.POSTGRESQL, WebhookReplicasTest.class);
        SignedWebhookReceiver receiver = new SignedWebhookReceiver()) {
      ServiceConfig config = store.config().webhookBackoffMillis(50).build();
      TestService first = TestService.start(store, config);
      TestService second = TestService.start(store, config);
      String id;
      List<String> replicaApps = new ArrayList<>();
      try {
        ApiClient.Response created =
            first.api.post(
                "/v1/webhooks",
                first.adminKey,
                "{\"url\":" + ApiClient.quote(receiver.url()) + ",\"allow_plain_http\":true}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        receiver.secret(created.json().path("signing_secret").asText());
        id = created.json().path("receiver").path("receiver_id").asText();
        // both replicas write events while both deliver
        for (int i = 0; i < 15; i++) {
          replicaApps.add(
              (i % 2 == 0 ? first : second)
                  .createApp("replica-" + i + "-" + System.nanoTime())
                  .path("app_id")
                  .asText());
        }
        List<String> expected = exported(first, replicaApps);
        assertThat(expected).hasSize(30);
        Eventually.within(
            Duration.ofSeconds(60), () -> accepted(receiver, replicaApps).size() == 30);
        assertThat(accepted(receiver, replicaApps)).containsExactlyElementsOf(expected);
        assertThat(receiver.duplicates()).as("one delivery per event").isZero();
      } finally {
        first.close();
        second.close();
      }

      // written while the receiver is down, then the service stops: they wait in the store
      receiver.down = true;
      List<String> restartApps = new ArrayList<>();
      int attemptsBefore = receiver.attempts();
      TestService writer = TestService.start(store, config);
      try {
        for (int i = 0; i < 5; i++) {
          restartApps.add(
              writer.createApp("restart-" + i + "-" + System.nanoTime()).path("app_id").asText());
        }
        Eventually.within(Duration.ofSeconds(30), () -> receiver.attempts() > attemptsBefore);
      } finally {
        writer.close();
      }
      receiver.down = false;
      TestService restarted = TestService.start(store, config);
      try {
        List<String> expected = exported(restarted, restartApps);
        assertThat(expected).hasSize(10);
        Eventually.within(
            Duration.ofSeconds(60), () -> accepted(receiver, restartApps).size() == 10);
        assertThat(accepted(receiver, restartApps)).containsExactlyElementsOf(expected);
        assertThat(accepted(receiver, replicaApps)).hasSize(30);
      } finally {
        restarted.close();
      }
    }
  }

  private static List<String> exported(TestService service, List<String> apps) throws Exception {
    List<String> ids = new ArrayList<>();
    for (JsonNode e : AuditExportApiTest.drainFor(service, "0")) {
      if (apps.contains(e.path("app_id").asText())) {
        ids.add(e.path("event_id").asText());
      }
    }
    return ids;
  }

  private static List<String> accepted(SignedWebhookReceiver receiver, List<String> apps) {
    return receiver.accepted().stream()
        .filter(e -> apps.contains(e.path("app_id").asText()))
        .map(e -> e.path("event_id").asText())
        .toList();
  }
}
