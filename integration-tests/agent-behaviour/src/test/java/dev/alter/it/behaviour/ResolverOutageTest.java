package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the agent does when the resolver service is not there: serve a cached credential for up to
 * the configured maximum staleness, then fail closed; and never hold an app thread longer than the
 * resolve timeout when the service accepts connections but does not answer.
 */
class ResolverOutageTest {
  private static ResolverServiceProcess service;
  private static StandInProvider provider;

  @BeforeAll
  static void start() {
    // its own service: this class stops it
    service = ResolverServiceProcess.start(SharedResolverService.workDirectory("outage-service"));
    provider = new StandInProvider("outage");
  }

  @AfterAll
  static void stop() {
    provider.close();
    service.close();
  }

  private static JsonNode send(RunningChild child, String grant) {
    return child.ask(
        "request "
            + ChildRequest.get(provider.origin() + "/api/v1/check_run").grant(grant).toLine(),
        Duration.ofSeconds(40));
  }

  @Test
  void servesTheCachedCredentialWhileTheServiceIsDownThenFailsClosedAfterMaxStaleness()
      throws InterruptedException {
    AdminClient admin = service.admin();
    AdminClient.App app = admin.createApp("outage-it");
    String credential = StandInProvider.randomCredential("dd");
    String grant =
        admin.createSystemGrant(
            admin.storeSecretId(
                NewSecret.provider(app.appId, "datadog", credential)
                    .destinations(provider.origin())
                    .ttlSeconds(5)),
            "stale");

    try (RunningChild child =
        provider.startApp(service.baseUrl(), app.apiKey, "alter.cache.max.staleness=4s")) {
      ResolverCacheTest.assertOk(send(child, grant));
      long first = System.nanoTime(); // the credential was fetched no later than this
      service.stop();
      try {
        // past the TTL (5 s), within TTL + max staleness (9 s): the cached credential still serves
        ResolverCacheTest.sleepUntil(first, Duration.ofMillis(6_000));
        JsonNode stale = send(child, grant);
        assertThat(stale.path("status").asInt()).as("report %s", stale).isEqualTo(200);
        assertThat(provider.server.requests()).hasSize(2);
        assertThat(provider.server.requests().get(1).headerValues("DD-API-KEY"))
            .containsExactly(credential);

        // past TTL + max staleness: fail closed, nothing sent
        ResolverCacheTest.sleepUntil(first, Duration.ofMillis(10_500));
        JsonNode failed = send(child, grant);
        assertThat(failed.path("error").path("class").asText())
            .as("report %s", failed)
            .isEqualTo("dev.alter.agent.bootstrap.AlterCredentialException");
        assertThat(failed.path("error").path("code").asText()).isEqualTo("resolver_unavailable");
        assertThat(failed.path("error").path("grant_id").asText()).isEqualTo(grant);
        assertThat(provider.server.requests()).hasSize(2);
      } finally {
        service.restart();
      }

      // and once the service is back, the same running app recovers by itself
      JsonNode recovered = send(child, grant);
      assertThat(recovered.path("status").asInt()).as("report %s", recovered).isEqualTo(200);
    }
  }

  @Test
  void coldResolveNeverHoldsTheAppLongerThanItsTimeout() throws IOException {
    // a "service" that accepts connections and never answers
    try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(blackHole.accept());
                  }
                } catch (IOException closed) {
                  // test over
                }
              },
              "black-hole");
      acceptor.setDaemon(true);
      acceptor.start();

      try (RunningChild child =
          provider.startApp(
              "http://127.0.0.1:" + blackHole.getLocalPort(),
              "alter_key_app_unused",
              "alter.resolve.timeout=1s")) {
        // warm the app up (connection, TLS, classes) so the timing below is the resolve's alone
        assertThat(
                child
                    .ask("request " + ChildRequest.get(provider.origin() + "/warm-up").toLine())
                    .path("status")
                    .asInt())
            .isEqualTo(200);
        provider.server.clear();

        JsonNode report = send(child, "grt_cold0000000000000000");

        assertThat(report.path("error").path("code").asText())
            .as("report %s", report)
            .isEqualTo("resolver_unavailable");
        assertThat(report.path("elapsed_ms").asLong())
            .as("time the app thread was held")
            .isBetween(900L, 2_500L);
        assertThat(provider.server.requests()).isEmpty();
      } finally {
        for (Socket socket : held) {
          socket.close();
        }
      }
    }
  }
}
