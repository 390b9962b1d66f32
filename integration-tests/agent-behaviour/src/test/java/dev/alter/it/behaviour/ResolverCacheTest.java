package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's in-process resolver against the real service, counted from the service's audit trail
 * (one {@code resolve} event per call the agent made): single-flight, the TTL the service sets, and
 * refresh ahead of expiry.
 */
class ResolverCacheTest {
  private static ResolverServiceProcess service;
  private static AdminClient admin;
  private static AdminClient.App app;
  private static StandInProvider provider;

  @BeforeAll
  static void start() {
    service = SharedResolverService.get();
    admin = service.admin();
    app = admin.createApp("cache-it-" + System.nanoTime());
    provider = new StandInProvider("cache");
  }

  @AfterAll
  static void stop() {
    provider.close();
  }

  @BeforeEach
  void clear() {
    provider.server.clear();
  }

  private String datadogSecret(String credential, int ttlSeconds) {
    return admin.storeSecretId(
        NewSecret.provider(app.appId, "datadog", credential)
            .destinations(provider.origin())
            .ttlSeconds(ttlSeconds));
  }

  private static JsonNode send(RunningChild child, String grant) {
    return child.ask(
        "request " + ChildRequest.get(provider.origin() + "/api/v1/series").grant(grant).toLine(),
        Duration.ofSeconds(40));
  }

  private String lastReceivedKey() {
    List<RecordedRequest> all = provider.server.requests();
    return all.get(all.size() - 1).header("DD-API-KEY");
  }

  @Test
  void twoHundredConcurrentFirstRequestsResolveExactlyOnce() {
    String credential = StandInProvider.randomCredential("dd");
    String grant = admin.createSystemGrant(datadogSecret(credential, 300), "single-flight");

    // a generous resolve timeout: this is about how many resolves there are, not how fast
    try (RunningChild child =
        provider.startApp(service.baseUrl(), app.apiKey, "alter.resolve.timeout=30s")) {
      // open the app's connections first, so the 200 tagged requests reach the agent together
      JsonNode warmUp =
          child.ask(
              "burst 200 " + ChildRequest.get(provider.origin() + "/warm-up").toLine(),
              Duration.ofSeconds(120));
      assertThat(warmUp.path("ok").asInt()).as("warm-up %s", warmUp).isEqualTo(200);
      provider.server.clear();

      JsonNode burst =
          child.ask(
              "burst 200 "
                  + ChildRequest.get(provider.origin() + "/api/v1/series").grant(grant).toLine(),
              Duration.ofSeconds(120));

      assertThat(burst.path("ok").asInt()).as("burst %s", burst).isEqualTo(200);
      assertThat(admin.resolveCount(grant)).as("resolve calls in the service's audit").isEqualTo(1);
      List<RecordedRequest> received = provider.server.requests();
      assertThat(received).hasSize(200);
      assertThat(received)
          .allSatisfy(r -> assertThat(r.headerValues("DD-API-KEY")).containsExactly(credential));
    }
  }

  @Test
  void credentialIsReusedWithinItsTtlAndResolvedAgainAfterIt() throws InterruptedException {
    String grant =
        admin.createSystemGrant(datadogSecret(StandInProvider.randomCredential("dd"), 5), "ttl");

    try (RunningChild child = provider.startApp(service.baseUrl(), app.apiKey)) {
      assertOk(send(child, grant));
      long first = System.nanoTime(); // the credential was fetched no later than this
      assertOk(send(child, grant));
      assertThat(admin.resolveCount(grant)).as("resolves within the TTL").isEqualTo(1);

      sleepUntil(first, Duration.ofMillis(5_800));
      assertOk(send(child, grant));
      assertThat(admin.resolveCount(grant)).as("resolves once the TTL has passed").isEqualTo(2);
      assertThat(provider.server.requests()).hasSize(3);
    }
  }

  @Test
  void refreshAheadFetchesTheRotatedCredentialBeforeTheCachedOneExpires()
      throws InterruptedException {
    String oldKey = StandInProvider.randomCredential("old");
    String newKey = StandInProvider.randomCredential("new");
    String secret = datadogSecret(oldKey, 16);
    String grant = admin.createSystemGrant(secret, "refresh-ahead");

    try (RunningChild child = provider.startApp(service.baseUrl(), app.apiKey)) {
      assertOk(send(child, grant));
      long first = System.nanoTime(); // the credential was fetched no later than this
      admin.rotate(secret, newKey);

      // in the last quarter of the 16 s TTL: served from the cache at once, refreshed in the
      // background
      sleepUntil(first, Duration.ofMillis(12_500));
      JsonNode served = send(child, grant);
      assertOk(served);
      assertThat(served.path("elapsed_ms").asLong())
          .as("served without waiting for the resolver")
          .isLessThan(1_000);
      assertThat(lastReceivedKey()).isEqualTo(oldKey);
      awaitResolveCount(grant, 2, Duration.ofMillis(2_500));

      // The audit row is committed before the service answers, so the count can reach 2 a moment
      // before the agent has opened and cached the answer: the refreshed credential must be in
      // use before the first one's expiry, without another resolve.
      while (true) {
        assertOk(send(child, grant));
        assertThat(Duration.ofNanos(System.nanoTime() - first))
            .as("still within the first TTL")
            .isLessThan(Duration.ofMillis(15_500));
        if (newKey.equals(lastReceivedKey())) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(admin.resolveCount(grant)).isEqualTo(2);
    }
  }

  private static void awaitResolveCount(String grant, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (admin.resolveCount(grant) < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no background refresh within "
                + timeout
                + ": resolves = "
                + admin.resolveCount(grant));
      }
      Thread.sleep(50);
    }
  }

  static void assertOk(JsonNode report) {
    assertThat(report.path("status").asInt()).as("app report %s", report).isEqualTo(200);
  }

  static void sleepUntil(long startNanos, Duration offset) throws InterruptedException {
    long wait = startNanos + offset.toNanos() - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }
}
