package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.HostsFile;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An app hammering a revoked grant: the agent answers the service's refusal from memory for the
 * denial cache TTL (default 5 s), and the service audits the identical denials as one row with a
 * count. Every request still fails closed, naming the grant and {@code grant_revoked}.
 */
class CachedDenialTest {
  @Test
  void aRevokedGrantAt100RequestsPerSecondFor10SecondsMakesAtMostThreeResolvesAndOneAuditRow()
      throws Exception {
    ResolverServiceProcess service = SharedResolverService.get();
    AdminClient admin = service.admin();
    // plain HTTP (allowed for this host): the JDK client connects before the agent's hook fails
    // the request, and 100 TLS handshakes a second would measure the machine, not the cache
    HostsFile hosts =
        HostsFile.loopback(
            SharedResolverService.workDirectory("denials"), List.of(StandInProvider.HOST));
    try (RecordingServer provider = RecordingServer.http(StandInProvider.HOST)) {
      AdminClient.App app = admin.createApp("denials-it");
      String secret =
          admin.storeSecretId(
              NewSecret.provider(app.appId, "datadog", StandInProvider.randomCredential("dd"))
                  .destinations(provider.origin())
                  .allowPlainHttp(true));
      String grant = admin.createSystemGrant(secret, "revoked");
      admin.revokeGrant(grant);
      String line = ChildRequest.get(provider.origin() + "/api/v1/series").grant(grant).toLine();

      try (RunningChild agent =
          ChildJvm.create()
              .main(SteadyLoadApp.class)
              .classpathOf(dev.alter.it.child.CommandLoop.class)
              .hosts(hosts)
              .withAgent()
              .resolver(service.baseUrl(), app.apiKey)
              // a loaded test machine must not turn the service's answer into a timeout, which
              // is never cached and would add resolves
              .systemProperty("alter.resolve.timeout", "10s")
              .start()) {
        agent.nextReport(Duration.ofSeconds(60));
        long started = System.nanoTime();
        assertThat(
                agent.ask("offer 10 " + line, Duration.ofSeconds(60)).path("loading").asBoolean())
            .isTrue();
        Thread.sleep(10_000);
        JsonNode load = agent.ask("stop", Duration.ofSeconds(60));
        long loadMillis = (System.nanoTime() - started) / 1_000_000;

        // every request failed closed with the service's code and the grant, and nothing was sent
        int sent = load.path("sent").asInt();
        assertThat(sent).as("load %s", load).isGreaterThan(500);
        assertThat(load.path("unfinished").asInt()).as("load %s", load).isZero();
        assertThat(load.path("failed").asInt()).as("load %s", load).isEqualTo(sent);
        JsonNode failures = load.path("failures");
        assertThat(failures.size()).as("one refusal, repeated: %s", failures).isEqualTo(1);
        String refusal = failures.fieldNames().next();
        assertThat(refusal).contains("grant " + grant + " failed: grant_revoked");
        assertThat(failures.path(refusal).asInt()).isEqualTo(sent);
        assertThat(provider.requests()).isEmpty();

        // The denial is kept 5 s from its answer, and requests waiting on a resolve share it: a
        // resolve starts at 0, then 5 s after each answer at the earliest, so a load of L ms makes
        // at most floor(L / 5000) + 1 resolves (3 for 10-15 s; fewer when answers are slow).
        List<JsonNode> rows = admin.audit(Map.of("grant_id", grant, "action", "resolve"));
        int resolves = 0;
        for (JsonNode row : rows) {
          assertThat(row.path("outcome").asText()).isEqualTo("denied");
          assertThat(row.path("reason").asText()).startsWith("grant_revoked");
          resolves += row.path("count").asInt();
        }
        assertThat(resolves).as("rows %s", rows).isBetween(1, (int) (loadMillis / 5_000) + 1);
        // identical denials within the service's 60 s audit window: one row
        assertThat(rows).hasSize(1);

        // the cached refusal reads like the service's
        JsonNode one = agent.ask("request " + line, Duration.ofSeconds(30));
        assertThat(one.path("error").path("message").asText())
            .contains("grant " + grant + " failed: grant_revoked")
            .contains("Nothing was sent");
      }
    }
  }
}
