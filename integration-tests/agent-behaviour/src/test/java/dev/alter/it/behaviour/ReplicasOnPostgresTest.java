package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two resolver replicas (separate service processes) on one PostgreSQL, three agent child JVMs
 * subscribed across them (two on A, one on B). Changes are made through replica B while an app
 * subscribed to A sends a tagged request every 10 ms; secrets have a 300 s TTL, so only the change
 * feed can explain a change reaching the agent. Skipped without PostgreSQL unless {@code
 * ALTER_TEST_PG_REQUIRED=true}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasOnPostgresTest {
  /** What the issue promises: no injection later than this after the change call returned. */
  private static final long BOUND_MILLIS = 1_000;

  private static final String BASE =
      System.getenv().getOrDefault("ALTER_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");

  private static String schema;
  private static String suffix;
  private static ResolverServiceProcess a;
  private static ResolverServiceProcess b;
  private static StandInProvider provider;
  private static AdminClient.App app;
  private static final List<RunningChild> agents = new ArrayList<>();

  @BeforeAll
  static void start() {
    requirePostgres();
    suffix = Long.toHexString(System.nanoTime());
    schema = "alter_replicas_" + suffix;
    String jdbcUrl =
        BASE + (BASE.contains("?") ? "&" : "?") + "user=postgres&currentSchema=" + schema;
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String masterKey = Base64.getEncoder().encodeToString(key);
    provider = new StandInProvider("replicas-" + suffix);
    a =
        ResolverServiceProcess.start(
            SharedResolverService.workDirectory("replica-a-" + suffix),
            jdbcUrl,
            Map.of("ALTER_MASTER_KEY", masterKey, "ALTER_REPLICA_ID", "replica-a-" + suffix));
    b =
        ResolverServiceProcess.start(
            SharedResolverService.workDirectory("replica-b-" + suffix),
            jdbcUrl,
            Map.of("ALTER_MASTER_KEY", masterKey, "ALTER_REPLICA_ID", "replica-b-" + suffix));
    app = b.admin().createApp("replicas-" + suffix);
    for (ResolverServiceProcess replica : List.of(a, a, b)) {
      RunningChild child =
          provider
              .app(JavaRuntime.JDK_17, "HTTP_1_1")
              .main(SteadyTaggedSender.class)
              .withAgent()
              .resolver(replica.baseUrl(), app.apiKey)
              .start();
      child.nextReport(Duration.ofSeconds(60));
      agents.add(child);
    }
  }

  @AfterAll
  static void stop() {
    agents.forEach(RunningChild::close);
    if (a != null) a.close();
    if (b != null) b.close();
    if (provider != null) provider.close();
    if (schema != null) {
      try (Connection db = DriverManager.getConnection(BASE, "postgres", null);
          Statement sql = db.createStatement()) {
        sql.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      } catch (SQLException e) {
        throw new IllegalStateException("could not drop test schema " + schema, e);
      }
    }
  }

  private static String secret(String credential) {
    return b.admin()
        .storeSecretId(
            NewSecret.provider(app.appId, "datadog", credential)
                .destinations(provider.origin())
                .ttlSeconds(300));
  }

  /** Starts the app on A sending a tagged request every 10 ms for {@code millis}. */
  private static CompletableFuture<JsonNode> steady(String grant, long millis) {
    RunningChild onA = agents.get(0);
    String url = provider.origin() + "/api/v1/series";
    return CompletableFuture.supplyAsync(
        () ->
            onA.ask(
                "run " + url + " " + grant + " 10 " + millis, Duration.ofMillis(millis + 60_000)));
  }

  /**
   * Waits until the app's requests carry {@code credential} (its first resolve may be slow on a
   * loaded machine), then a little longer, so the change meets a warm cache.
   */
  private static void awaitInjected(String credential) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (carrying(credential).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(300);
  }

  private static List<RecordedRequest> carrying(String credential) {
    return provider.server.requests().stream()
        .filter(r -> r.headerValues("DD-API-KEY").contains(credential))
        .collect(Collectors.toList());
  }

  private static long lastReceived(List<RecordedRequest> requests) {
    return requests.stream().mapToLong(RecordedRequest::receivedAtMillis).max().orElse(0);
  }

  @Test
  @Order(1)
  void connectedAgentsShowTheThreeProcessesWithTheirReplica() throws InterruptedException {
    JsonNode list = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      list = a.admin().call("GET", "/v1/apps/" + app.appId + "/connections", null);
      if (list.path("connections").size() == 3) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(list.path("connections")).as("%s", list).hasSize(3);
    List<String> replicas = new ArrayList<>();
    for (JsonNode c : list.path("connections")) {
      replicas.add(c.path("replica").asText());
      assertThat(c.path("host_name").asText()).isNotEmpty();
      assertThat(c.path("pid").asLong()).isPositive();
      assertThat(c.path("agent_version").asText()).isNotEmpty();
      assertThat(c.path("connected_since").asText()).isNotEmpty();
      assertThat(c.path("last_seen").asText()).isNotEmpty();
    }
    assertThat(replicas)
        .containsExactlyInAnyOrder(
            "replica-a-" + suffix, "replica-a-" + suffix, "replica-b-" + suffix);
    // the same list through the other replica
    assertThat(
            b.admin().call("GET", "/v1/connections?app_id=" + app.appId, null).path("connections"))
        .hasSize(3);
  }

  @Test
  @Order(2)
  void aGrantRevokedThroughBStopsInjectionOnAWithinOneSecond() throws Exception {
    String credential = StandInProvider.randomCredential("revoke");
    String grant = b.admin().createSystemGrant(secret(credential), "revoke");
    provider.server.clear();
    CompletableFuture<JsonNode> run = steady(grant, 8_000);
    awaitInjected(credential);
    b.admin().revokeGrant(grant);
    long returned = System.currentTimeMillis();
    JsonNode report = run.get();

    List<RecordedRequest> injected = carrying(credential);
    assertThat(injected).as("requests before the revoke").isNotEmpty();
    assertThat(lastReceived(injected) - returned)
        .as("last injection after the revoke returned (ms); report %s", report)
        .isLessThanOrEqualTo(BOUND_MILLIS);
    assertThat(report.path("failures").path("grant_revoked").asInt()).isPositive();
  }

  @Test
  @Order(3)
  void aSecretRotatedThroughBIsInjectedOnAWithinOneSecond() throws Exception {
    String oldValue = StandInProvider.randomCredential("old");
    String newValue = StandInProvider.randomCredential("new");
    String secret = secret(oldValue);
    String grant = b.admin().createSystemGrant(secret, "rotate");
    provider.server.clear();
    CompletableFuture<JsonNode> run = steady(grant, 8_000);
    awaitInjected(oldValue);
    b.admin().rotate(secret, newValue);
    long returned = System.currentTimeMillis();
    JsonNode report = run.get();

    List<RecordedRequest> fresh = carrying(newValue);
    assertThat(fresh).as("requests with the new value; report %s", report).isNotEmpty();
    long first = fresh.stream().mapToLong(RecordedRequest::receivedAtMillis).min().orElseThrow();
    assertThat(first - returned)
        .as("first new value after the rotate returned (ms)")
        .isLessThanOrEqualTo(BOUND_MILLIS);
    assertThat(lastReceived(carrying(oldValue)) - returned).isLessThanOrEqualTo(BOUND_MILLIS);
    assertThat(report.path("ok").asInt()).isEqualTo(report.path("sent").asInt());
  }

  @Test
  @Order(4)
  void changesMadeWhileAsListeningConnectionIsDownStillReachItsAgents() throws Exception {
    String credential = StandInProvider.randomCredential("listen");
    String grant = b.admin().createSystemGrant(secret(credential), "listen");
    provider.server.clear();
    CompletableFuture<JsonNode> run = steady(grant, 8_000);
    awaitInjected(credential);
    assertThat(terminateListenerOf("replica-a-" + suffix))
        .as("listener connections ended")
        .isPositive();
    b.admin().revokeGrant(grant);
    long returned = System.currentTimeMillis();
    JsonNode report = run.get();

    List<RecordedRequest> injected = carrying(credential);
    assertThat(injected).isNotEmpty();
    // A reads on from its last sequence once it has reconnected (or by its fallback poll)
    assertThat(lastReceived(injected) - returned)
        .as("last injection after the revoke returned (ms); report %s", report)
        .isLessThanOrEqualTo(3_000);
    assertThat(report.path("failures").path("grant_revoked").asInt()).isPositive();
  }

  @Test
  @Order(5)
  void theAppKeyRevokedThroughBStopsInjectionOnAWithinOneSecond() throws Exception {
    String credential = StandInProvider.randomCredential("appkey");
    String grant = b.admin().createSystemGrant(secret(credential), "appkey");
    provider.server.clear();
    CompletableFuture<JsonNode> run = steady(grant, 8_000);
    awaitInjected(credential);
    b.admin().call("DELETE", "/v1/apps/" + app.appId + "/keys/" + app.keyId, null);
    long returned = System.currentTimeMillis();
    JsonNode report = run.get();

    List<RecordedRequest> injected = carrying(credential);
    assertThat(injected).isNotEmpty();
    assertThat(lastReceived(injected) - returned)
        .as("last injection after the key revocation returned (ms); report %s", report)
        .isLessThanOrEqualTo(BOUND_MILLIS);
    assertThat(report.path("failures").path("unauthorized_app").asInt()).isPositive();
  }

  @Test
  @Order(6)
  void anAgentWhoseReplicaFallsSilentNoticesWithinAFewSecondsAndSubscribesToTheNext()
      throws Exception {
    // an app of its own: the previous test revoked the shared app's key
    AdminClient.App silent = b.admin().createApp("silent-" + suffix);
    try (RunningChild listing =
        provider
            .app(JavaRuntime.JDK_17, "HTTP_1_1")
            .main(SteadyTaggedSender.class)
            .withAgent()
            .resolver(a.baseUrl() + "," + b.baseUrl(), silent.apiKey)
            .start()) {
      listing.nextReport(Duration.ofSeconds(60));
      assertThat(awaitSubscriptionsOn(silent, "replica-a-" + suffix)).isEqualTo(1);
      // SIGSTOP: A's connections stay open and say nothing, as behind a dead network path
      signal("STOP", a.pid());
      long stopped = System.nanoTime();
      try {
        assertThat(awaitSubscriptionsOn(silent, "replica-b-" + suffix))
            .as("the agent listing A and B subscribed to B")
            .isEqualTo(1);
        // 3 missed heartbeats of 2 s plus one: 7 s, then a new subscription on B
        assertThat((System.nanoTime() - stopped) / 1_000_000)
            .as("ms until the silent subscription was replaced")
            .isLessThanOrEqualTo(12_000);
      } finally {
        signal("CONT", a.pid());
      }
    }
  }

  @Test
  @Order(7)
  void anAdminKeyRevokedThroughAIsRefusedByBRightAfter() {
    JsonNode created = a.admin().call("POST", "/v1/admin-keys", Map.of());
    AdminClient operator = new AdminClient(b.baseUrl(), created.path("key").asText());
    // B now remembers the key as valid, for a minute when revocations are event-driven
    assertThat(operator.call("GET", "/v1/apps", null).has("apps")).isTrue();

    a.admin().call("DELETE", "/v1/admin-keys/" + created.path("key_id").asText(), null);
    long returned = System.nanoTime();

    int status = 200;
    while (status == 200 && System.nanoTime() - returned < Duration.ofSeconds(5).toNanos()) {
      try {
        operator.call("GET", "/v1/apps", null);
      } catch (dev.alter.it.harness.AdminApiException e) {
        status = e.status();
      }
    }
    long millis = (System.nanoTime() - returned) / 1_000_000;
    assertThat(status).as("B's answer to the revoked key").isEqualTo(401);
    assertThat(millis).as("ms until B refused the key revoked through A").isLessThan(1_000);
  }

  /** The app's subscriptions on {@code replica} once there is one (or after 20 s). */
  private static int awaitSubscriptionsOn(AdminClient.App app, String replica)
      throws InterruptedException {
    int n = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      n = 0;
      for (JsonNode c :
          b.admin()
              .call("GET", "/v1/apps/" + app.appId + "/connections", null)
              .path("connections")) {
        if (c.path("replica").asText().equals(replica)) {
          n++;
        }
      }
      if (n >= 1) {
        return n;
      }
      Thread.sleep(100);
    }
    return n;
  }

  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
    }
  }

  private static int terminateListenerOf(String replica) throws SQLException {
    try (Connection db = DriverManager.getConnection(BASE, "postgres", null);
        Statement sql = db.createStatement();
        ResultSet rs =
            sql.executeQuery(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                    + ("alter-listener:" + replica)
                    + "'")) {
      int n = 0;
      while (rs.next()) {
        if (rs.getBoolean(1)) {
          n++;
        }
      }
      return n;
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
