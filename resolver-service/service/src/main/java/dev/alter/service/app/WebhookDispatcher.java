package dev.alter.service.app;

import com.fasterxml.jackson.databind.ObjectWriter;
import dev.alter.service.JsonCodec;
import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.store.Database;
import dev.alter.service.store.WebhookReceiverRecord;
import dev.alter.service.store.WebhookRepository;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the audit trail to webhook receivers: each event once acknowledged (a 2xx), in export
 * order, one event per request, at least once.
 *
 * <p>With several replicas, a receiver is delivered to by the replica that holds its lease (a
 * conditional update of its row, {@link WebhookRepository#claim}); the lease is renewed with every
 * acknowledged event and outlives the request timeout several times, so another replica takes over
 * only from one that stopped. The acknowledged position is stored after each 2xx: a crash between
 * the receiver's 2xx and that write sends the event again, hence "at least once" (receivers drop
 * repeats by {@code event_id}).
 *
 * <p>A failed attempt (no answer, or not 2xx) is retried after an exponential backoff; once the
 * receiver has failed for longer than the retry period it is marked {@code failing} and left alone.
 * Its backlog stays in the audit trail, and {@code POST /v1/webhooks/{id}/replay} resumes it from
 * any cursor.
 */
public final class WebhookDispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final ObjectWriter JSON = JsonCodec.mapper().writer();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final long LEASE_MILLIS = 60_000;
  private static final int BATCH = 100;

  /** How retries back off, and for how long they go on. */
  public record RetryPolicy(long initialBackoffMillis, long maxBackoffMillis, long retryForMillis) {
    long backoff(int attempts) {
      long d = initialBackoffMillis;
      for (int i = 1; i < attempts && d < maxBackoffMillis; i++) {
        d *= 2;
      }
      return Math.min(d, maxBackoffMillis);
    }
  }

  private final Database db;
  private final WebhookRepository receivers;
  private final WebhookService webhooks;
  private final AuditExport export;
  private final RetryPolicy retry;
  private final Clock clock;
  private final String owner = ApiKeys.newId("rep_");
  private volatile boolean closing;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "alter-webhook-dispatcher");
            t.setDaemon(true);
            return t;
          });

  public WebhookDispatcher(
      Database db,
      WebhookRepository receivers,
      WebhookService webhooks,
      AuditExport export,
      RetryPolicy retry,
      Clock clock) {
    this.db = db;
    this.receivers = receivers;
    this.webhooks = webhooks;
    this.export = export;
    this.retry = retry;
    this.clock = clock;
  }

  /** Starts delivering: one round every {@code intervalMillis}. */
  public void start(long intervalMillis) {
    timer.scheduleWithFixedDelay(
        this::roundQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  private void roundQuietly() {
    try {
      round();
    } catch (RuntimeException e) {
      LOG.warn("Webhook delivery round failed, retrying next round: {}", e.toString());
    }
  }

  /** One pass over the receivers that are due. */
  void round() {
    List<String> due = db.inTransaction(c -> receivers.due(c, clock.millis(), owner));
    if (due.isEmpty()) {
      return;
    }
    for (String id : due) {
      if (closing) {
        return;
      }
      long now = clock.millis();
      if (!db.inTransaction(c -> receivers.claim(c, id, owner, now, now + LEASE_MILLIS))) {
        continue; // another replica holds it
      }
      try {
        deliver(id);
      } finally {
        db.inTransaction(
            c -> {
              receivers.release(c, id, owner);
              return null;
            });
      }
    }
  }

  private void deliver(String id) {
    WebhookReceiverRecord row = db.inTransaction(c -> receivers.find(c, id)).orElse(null);
    if (row == null) {
      return;
    }
    String secret;
    try {
      secret = webhooks.signingSecret(row);
    } catch (java.security.GeneralSecurityException e) {
      fail(row, "the signing secret cannot be decrypted (master key missing?)");
      return;
    }
    long position = row.deliveredPos();
    URI target = URI.create(row.url());
    while (!closing) {
      List<AuditExport.Exported> events = export.after(position, BATCH);
      if (events.isEmpty()) {
        return;
      }
      for (AuditExport.Exported e : events) {
        if (closing) {
          return;
        }
        String error = post(target, secret, e);
        if (error != null) {
          fail(row, error);
          return;
        }
        long now = clock.millis();
        long at = e.position();
        if (!db.inTransaction(
            c -> receivers.delivered(c, id, owner, at, now, now + LEASE_MILLIS))) {
          return; // replayed, deleted or taken over meanwhile: stop, the new state rules
        }
        position = at;
      }
    }
  }

  /** Sends one event; null when the receiver acknowledged it, else why not. */
  private String post(URI target, String secret, AuditExport.Exported e) {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(Views.ExportedEvent.of(e.cursor(), e.event()));
    } catch (IOException ex) {
      throw new IllegalStateException("cannot serialise an audit event", ex);
    }
    long t = clock.millis() / 1000;
    HttpRequest request =
        HttpRequest.newBuilder(target)
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("User-Agent", "alter-resolver-service")
            .header("Alter-Event-Id", e.event().eventId())
            .header("Alter-Cursor", e.cursor())
            .header(WebhookSignature.HEADER, WebhookSignature.header(secret, t, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      return status >= 200 && status < 300 ? null : "receiver answered HTTP " + status;
    } catch (IOException ex) {
      return "delivery failed: " + ex.getClass().getSimpleName();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return "delivery interrupted";
    }
  }

  private void fail(WebhookReceiverRecord row, String error) {
    WebhookReceiverRecord now =
        db.inTransaction(c -> receivers.find(c, row.receiverId())).orElse(null);
    if (now == null) {
      return;
    }
    long t = clock.millis();
    int attempts = now.attempts() + 1;
    long failingSince = now.failingSince() == null ? t : now.failingSince();
    boolean givingUp = t - failingSince >= retry.retryForMillis();
    String status = givingUp ? WebhookReceiverRecord.FAILING : WebhookReceiverRecord.ACTIVE;
    long next = t + retry.backoff(attempts);
    if (givingUp) {
      LOG.warn(
          "Webhook receiver {} failing since {}: deliveries stopped, backlog kept ({})",
          row.receiverId(),
          Times.format(failingSince),
          error);
    }
    db.inTransaction(
        c -> {
          receivers.failed(c, row.receiverId(), owner, status, attempts, failingSince, next, error);
          return null;
        });
  }

  /**
   * Stops after the delivery in flight (its request times out within {@code REQUEST_TIMEOUT}): an
   * interrupt would break the store connection under a half-written position.
   */
  @Override
  public void close() {
    closing = true;
    timer.shutdown();
    try {
      if (!timer.awaitTermination(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      timer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
