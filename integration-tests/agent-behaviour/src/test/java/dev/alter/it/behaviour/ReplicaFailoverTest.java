package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two resolver replicas (separate processes) on one PostgreSQL database, three agent JVMs listing
 * both: {@code kill -9} of the replica every agent asks first, under steady tagged load with new
 * grants resolved cold during the kill, fails no tagged request.
 */
class ReplicaFailoverTest {
  private static final int AGENTS = 3;
  private static final long LOAD_INTERVAL_MS = 20;

  @Test
  void killingTheFirstReplicaFailsNoTaggedRequest() throws Exception {
    try (OwnPostgresDatabase database = OwnPostgresDatabase.create("alter_failover");
        ResolverServiceProcess a =
            ResolverServiceProcess.start(
                SharedResolverService.workDirectory("failover-a"), database.jdbcUrl(), Map.of());
        ResolverServiceProcess b =
            ResolverServiceProcess.startReplicaOf(
                a, SharedResolverService.workDirectory("failover-b"));
        StandInProvider provider = new StandInProvider("failover")) {
      AdminClient adminA = a.admin();
      AdminClient.App app = adminA.createApp("failover-it");
      String credential = StandInProvider.randomCredential("dd");
      // the shortest TTL (5 s, refreshed from 3.75 s): the steady grant is re-resolved after the
      // kill, and no staleness allowance (0 s) may hide a failed resolve
      String secret =
          adminA.storeSecretId(
              NewSecret.provider(app.appId, "datadog", credential)
                  .destinations(provider.origin())
                  .ttlSeconds(5));
      String steady = adminA.createSystemGrant(secret, "steady");
      List<String> coldBeforeKill = new ArrayList<>();
      for (int i = 0; i < AGENTS; i++) {
        coldBeforeKill.add(adminA.createSystemGrant(secret, "cold-a-" + i));
      }

      List<RunningChild> agents = new ArrayList<>();
      try {
        for (int i = 0; i < AGENTS; i++) {
          agents.add(startAgent(provider, a.baseUrl() + "," + b.baseUrl(), app.apiKey));
        }
        for (RunningChild agent : agents) {
          JsonNode started =
              agent.ask("load " + LOAD_INTERVAL_MS + " " + line(provider, steady), timeout());
          assertThat(started.path("loading").asBoolean()).as("%s", started).isTrue();
        }
        Thread.sleep(2_000);
        List<String> beforeKill = awaitSubscriptions(adminA, app.appId, null);
        assertThat(beforeKill).as("every agent subscribed to the first replica").hasSize(AGENTS);
        String replicaA = beforeKill.get(0);
        assertThat(beforeKill).containsOnly(replicaA);

        a.kill();
        // cold resolves right after the kill: the agents' pooled connections to A are dead
        for (int i = 0; i < AGENTS; i++) {
          assertOk(
              agents.get(i).ask("request " + line(provider, coldBeforeKill.get(i)), timeout()));
        }
        Thread.sleep(1_500);
        // grants created on the surviving replica, resolved cold by every agent
        AdminClient adminB = b.admin();
        String afterKill = adminB.createSystemGrant(secret, "cold-b");
        for (RunningChild agent : agents) {
          assertOk(agent.ask("request " + line(provider, afterKill), timeout()));
        }
        Thread.sleep(5_000); // past the steady grant's next refresh, which only B can answer

        for (RunningChild agent : agents) {
          JsonNode load = agent.ask("stop", timeout());
          assertThat(load.path("failed").asInt()).as("load report %s", load).isZero();
          assertThat(load.path("unfinished").asInt()).as("load report %s", load).isZero();
          assertThat(load.path("statuses").path("200").asInt())
              .as("load report %s", load)
              .isEqualTo(load.path("sent").asInt())
              .isGreaterThan(100);
        }
        List<String> subscribedAfterKill = awaitSubscriptions(adminB, app.appId, replicaA);
        assertThat(subscribedAfterKill)
            .as("the subscriptions moved to the surviving replica")
            .hasSize(AGENTS);
        assertThat(provider.server.requests())
            .allSatisfy(r -> assertThat(r.headerValues("DD-API-KEY")).containsExactly(credential));
        // the cold grants were resolved by the replica that survived
        assertThat(adminB.resolveCount(afterKill)).isGreaterThanOrEqualTo(AGENTS);
        for (String grant : coldBeforeKill) {
          assertThat(adminB.resolveCount(grant)).isGreaterThanOrEqualTo(1);
        }
      } finally {
        for (RunningChild agent : agents) {
          agent.close();
        }
      }
    }
  }

  /**
   * The replica of each subscription of the app other than those on {@code gone}, once there are
   * {@value #AGENTS} of them (or after 20 s).
   */
  private static List<String> awaitSubscriptions(AdminClient admin, String appId, String gone)
      throws InterruptedException {
    List<String> replicas = new ArrayList<>();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      replicas.clear();
      for (JsonNode c :
          admin.call("GET", "/v1/apps/" + appId + "/connections", null).path("connections")) {
        String replica = c.path("replica").asText();
        if (!replica.equals(gone)) {
          replicas.add(replica);
        }
      }
      if (replicas.size() >= AGENTS) {
        break;
      }
      Thread.sleep(200);
    }
    return replicas;
  }

  private static RunningChild startAgent(StandInProvider provider, String resolvers, String key) {
    RunningChild child =
        ChildJvm.create()
            .main(SteadyLoadApp.class)
            .classpathOf(dev.alter.it.child.CommandLoop.class)
            .trusting(provider.certificate)
            .hosts(provider.hosts)
            .withAgent()
            .resolver(resolvers, key)
            .systemProperty("alter.cache.max.staleness", "0s")
            // B has served nothing before the kill, and a loaded test machine can take more than
            // the default 2 s for its first cold resolves: the budget is generous, the fail-over
            // is what is tested (a refused A costs no time of it)
            .systemProperty("alter.resolve.timeout", "10s")
            .start();
    child.nextReport(Duration.ofSeconds(60));
    return child;
  }

  private static String line(StandInProvider provider, String grant) {
    return ChildRequest.get(provider.origin() + "/api/v1/series").grant(grant).toLine();
  }

  private static void assertOk(JsonNode report) {
    assertThat(report.path("status").asInt()).as("report %s", report).isEqualTo(200);
  }

  private static Duration timeout() {
    return Duration.ofSeconds(90);
  }
}
