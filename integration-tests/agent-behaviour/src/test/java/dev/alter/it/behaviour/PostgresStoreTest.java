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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The same agent against the service on PostgreSQL instead of the embedded store: injection,
 * single-flight and rotation behave alike. Uses a schema of its own in the {@code test} database on
 * 127.0.0.1:5432 ({@code ALTER_TEST_PG_URL} overrides); skipped with the reason when no PostgreSQL
 * answers, unless {@code ALTER_TEST_PG_REQUIRED=true} (as .ci/run sets).
 */
class PostgresStoreTest {
  @Test
  void agentResolvesOnceForConcurrentRequestsAndPicksUpRotationWithTheServiceOnPostgres()
      throws InterruptedException {
    String base =
        System.getenv().getOrDefault("ALTER_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    requirePostgres();
    String schema = "alter_it_" + Long.toHexString(System.nanoTime());
    String jdbcUrl =
        base + (base.contains("?") ? "&" : "?") + "user=postgres&currentSchema=" + schema;

    try (ResolverServiceProcess service =
            ResolverServiceProcess.start(
                SharedResolverService.workDirectory("postgres-service"), jdbcUrl, Map.of());
        StandInProvider provider = new StandInProvider("postgres")) {
      AdminClient admin = service.admin();
      AdminClient.App app = admin.createApp("postgres-it");
      String oldKey = StandInProvider.randomCredential("old");
      String newKey = StandInProvider.randomCredential("new");
      String secret =
          admin.storeSecretId(
              NewSecret.provider(app.appId, "datadog", oldKey)
                  .destinations(provider.origin())
                  .ttlSeconds(5));
      String grant = admin.createSystemGrant(secret, "postgres");

      try (RunningChild child =
          provider.startApp(service.baseUrl(), app.apiKey, "alter.resolve.timeout=30s")) {
        JsonNode burst =
            child.ask(
                "burst 50 "
                    + ChildRequest.get(provider.origin() + "/api/v1/series").grant(grant).toLine(),
                Duration.ofSeconds(120));
        assertThat(burst.path("ok").asInt()).as("burst %s", burst).isEqualTo(50);
        long first = System.nanoTime(); // the credential was fetched no later than this
        assertThat(admin.resolveCount(grant)).isEqualTo(1);
        assertThat(provider.server.requests())
            .allSatisfy(r -> assertThat(r.headerValues("DD-API-KEY")).containsExactly(oldKey));

        admin.rotate(secret, newKey);
        ResolverCacheTest.sleepUntil(first, Duration.ofMillis(5_800));
        provider.server.clear();
        ResolverCacheTest.assertOk(
            child.ask(
                "request "
                    + ChildRequest.get(provider.origin() + "/api/v1/series").grant(grant).toLine(),
                Duration.ofSeconds(40)));
        RecordedRequest received = provider.server.singleRequest();
        assertThat(received.headerValues("DD-API-KEY")).containsExactly(newKey);
      }
    } finally {
      dropSchema(base, schema);
    }
  }

  private static void dropSchema(String base, String schema) {
    try (Connection db = DriverManager.getConnection(base, "postgres", null);
        Statement sql = db.createStatement()) {
      sql.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop test schema " + schema, e);
    }
  }

  private static void requirePostgres() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 5432), 1_000);
    } catch (IOException e) {
      String reason = "PostgreSQL does not answer on 127.0.0.1:5432";
      if ("true".equalsIgnoreCase(System.getenv("ALTER_TEST_PG_REQUIRED"))) {
        throw new IllegalStateException(reason + " (ALTER_TEST_PG_REQUIRED=true)", e);
      }
      Assumptions.abort(reason);
    }
  }
}
