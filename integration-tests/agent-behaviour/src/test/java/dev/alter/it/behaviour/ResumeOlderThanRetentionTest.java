package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An agent whose subscription resumes from a sequence the change log no longer holds drops its
 * whole cache. Replicas A and B on one PostgreSQL with a 1 s change-log retention; the agent lists
 * A only. A is killed, a secret is rotated through B, and B prunes that change before A comes back
 * on the same port. Secrets have a 300 s TTL, so after the agent resumes, only the dropped cache
 * explains a fresh resolve of a grant whose secret never changed, and the rotated value reaching
 * the provider.
 */
class ResumeOlderThanRetentionTest {
  @Test
  void aResumePastTheRetentionDropsTheWholeCache() throws Exception {
    try (OwnPostgresDatabase database = OwnPostgresDatabase.create("alter_retention");
        ResolverServiceProcess a =
            ResolverServiceProcess.start(
                SharedResolverService.workDirectory("retention-a"),
                database.jdbcUrl(),
                Map.of("ALTER_CHANGE_RETENTION_SECONDS", "1"));
        ResolverServiceProcess b =
            ResolverServiceProcess.startReplicaOf(
                a, SharedResolverService.workDirectory("retention-b"));
        StandInProvider provider = new StandInProvider("retention")) {
      AdminClient admin = b.admin();
      AdminClient.App app = admin.createApp("retention-it");
      String oldValue = StandInProvider.randomCredential("old");
      String newValue = StandInProvider.randomCredential("new");
      String untouchedValue = StandInProvider.randomCredential("same");
      String rotatedSecret = secret(admin, app, provider, oldValue);
      String rotated = admin.createSystemGrant(rotatedSecret, "rotated");
      String untouched =
          admin.createSystemGrant(secret(admin, app, provider, untouchedValue), "untouched");

      try (RunningChild agent =
          provider.startApp(a.baseUrl(), app.apiKey, "alter.resolve.timeout=10s")) {
        assertThat(headerOf(send(agent, provider, rotated), provider)).isEqualTo(oldValue);
        assertThat(headerOf(send(agent, provider, untouched), provider)).isEqualTo(untouchedValue);
        // the agent builds its resolver, and subscribes, on its first tagged request
        awaitConnections(admin, app.appId, 1);
        assertThat(admin.resolveCount(untouched)).isEqualTo(1);

        a.kill();
        long rotation = admin.rotate(rotatedSecret, newValue).path("version").asLong(-1);
        awaitPruned(database, rotatedSecret);
        // a change after the pruned one, so the log is not empty when the agent resumes
        admin.createSystemGrant(rotatedSecret, "later");
        a.restart();

        // served from the cache until the resumed subscription says the log has a gap
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (admin.resolveCount(untouched) < 2 && System.nanoTime() < deadline) {
          assertThat(headerOf(send(agent, provider, untouched), provider))
              .isEqualTo(untouchedValue);
          Thread.sleep(200);
        }
        assertThat(admin.resolveCount(untouched))
            .as("the unchanged grant resolved again after the resume (rotation %s)", rotation)
            .isEqualTo(2);
        assertThat(headerOf(send(agent, provider, rotated), provider)).isEqualTo(newValue);
        assertThat(admin.resolveCount(rotated)).isEqualTo(2);
      }
    }
  }

  private static String secret(
      AdminClient admin, AdminClient.App app, StandInProvider provider, String value) {
    return admin.storeSecretId(
        NewSecret.provider(app.appId, "datadog", value)
            .destinations(provider.origin())
            .ttlSeconds(300));
  }

  private static JsonNode send(RunningChild agent, StandInProvider provider, String grant) {
    JsonNode report =
        agent.ask(
            "request "
                + ChildRequest.get(provider.origin() + "/api/v1/series").grant(grant).toLine(),
            Duration.ofSeconds(40));
    assertThat(report.path("status").asInt()).as("report %s", report).isEqualTo(200);
    return report;
  }

  private static String headerOf(JsonNode report, StandInProvider provider) {
    var requests = provider.server.requests();
    List<String> values = requests.get(requests.size() - 1).headerValues("DD-API-KEY");
    assertThat(values).hasSize(1);
    return values.get(0);
  }

  private static void awaitConnections(AdminClient admin, String appId, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode list = null;
    while (System.nanoTime() < deadline) {
      list = admin.call("GET", "/v1/apps/" + appId + "/connections", null);
      if (list.path("connections").size() >= count) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no subscription within 30 s: " + list);
  }

  /** Waits until the retention removed every change-log entry of the secret. */
  private static void awaitPruned(OwnPostgresDatabase database, String secretId)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    try (Connection db = DriverManager.getConnection(database.jdbcUrl());
        Statement sql = db.createStatement()) {
      while (System.nanoTime() < deadline) {
        try (ResultSet rs =
            sql.executeQuery(
                "SELECT count(*) FROM change_log WHERE secret_id = '" + secretId + "'")) {
          rs.next();
          if (rs.getLong(1) == 0) {
            return;
          }
        }
        Thread.sleep(200);
      }
    }
    throw new AssertionError("the change log still holds changes of " + secretId + " after 20 s");
  }
}
