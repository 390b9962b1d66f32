package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alter.contract.proof.RequestSigning;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The change log and its feed ({@code POST /v1/changes}): every change an agent must learn of is
 * logged with ids only, in sequence; a subscription signed like a resolve receives them as
 * server-sent events, resumes from a sequence, and is told to drop its cache when it resumes from
 * before the retention; the agents subscribed are listed for operators.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ChangeFeedTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Parameter Backend backend;
  static TestService service;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    TestStore store = TestStore.create(backend, ChangeFeedTest.class);
    service =
        TestService.start(
            store, store.config().changeFeed(new ChangeFeedConfig("replica-t", 3, 1)).build());
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    try {
      service.close();
    } finally {
      service.store.close();
    }
  }

  private record App(String appId, String appKey, String secretId, String grantId) {}

  private static App app(String credential) {
    JsonNode app = service.createApp("feed-" + System.nanoTime());
    String appId = app.path("app_id").asText();
    JsonNode secret = service.createSecret(appId, "datadog", credential, null);
    String secretId = secret.path("secret_id").asText();
    String grantId = service.createSystemGrant(secretId, "feed").path("grant_id").asText();
    return new App(appId, app.path("api_key").path("key").asText(), secretId, grantId);
  }

  /** A subscription as the agent opens it: a signed POST whose answer is an event stream. */
  static final class Feed implements AutoCloseable {
    final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    final int status;
    private final InputStream body;

    Feed(String appKey, long since) throws Exception {
      String path = "/v1/changes";
      String json =
          "{\"since\":"
              + since
              + ",\"host_name\":\"test-host\",\"pid\":4242,\"agent_version\":\"9.9.9-test\"}";
      String authorization =
          service.api.signature(
              path,
              appKey,
              null,
              json,
              System.currentTimeMillis() / 1000,
              RequestSigning.newNonce());
      HttpResponse<InputStream> response =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(service.running.baseUrl() + path))
                      .header("Authorization", authorization)
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(json))
                      .build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      status = response.statusCode();
      body = response.body();
      Thread reader = new Thread(this::read, "feed-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String event = null;
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ")) {
            JsonNode data = JSON.readTree(line.substring(6));
            ((com.fasterxml.jackson.databind.node.ObjectNode) data).put("_event", event);
            events.add(data);
          }
        }
      } catch (IOException ignored) {
        // closed
      }
    }

    /** The next event of this type, skipping others (heartbeats). */
    JsonNode next(String type) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        JsonNode e = events.poll(100, TimeUnit.MILLISECONDS);
        if (e != null && e.path("_event").asText().equals(type)) {
          return e;
        }
      }
      throw new AssertionError("no " + type + " event within " + WAIT);
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  private static long lastSeq() {
    return service.count("SELECT last_seq FROM change_log_head");
  }

  @Test
  void everyChangeAnAgentMustLearnIsLoggedInSequenceWithIdsOnly() {
    App a = app("feed-secret-value-1");
    long before = lastSeq();
    service.api.put(
        "/v1/secrets/" + a.secretId() + "/credential",
        service.adminKey,
        "{\"credential\":\"feed-secret-value-2\"}");
    service.api.post("/v1/grants/" + a.grantId() + "/revoke", service.adminKey, "{}");
    service.api.patch("/v1/secrets/" + a.secretId(), service.adminKey, "{\"ttl_seconds\":30}");
    List<String> kinds = new ArrayList<>();
    List<List<Object>> rows =
        service.query(
            "SELECT seq, kind, app_id, grant_id, secret_id, version FROM change_log WHERE seq > "
                + before
                + " ORDER BY seq");
    for (List<Object> r : rows) {
      kinds.add((String) r.get(1));
      assertThat(r.get(2)).isEqualTo(a.appId());
    }
    assertThat(kinds).containsExactly("secret_rotated", "grant_revoked", "secret_updated");
    assertThat(((Number) rows.get(0).get(5)).longValue()).isEqualTo(2);
    assertThat(rows.get(1).get(3)).isEqualTo(a.grantId());
    assertThat(lastSeq()).isEqualTo(before + 3);
    assertThat(String.join("\n", service.rows("change_log"))).doesNotContain("feed-secret-value");
  }

  @Test
  void aSignedSubscriptionReceivesItsAppsChangesAndResumesFromItsSequence() throws Exception {
    App a = app("feed-a");
    App other = app("feed-other");
    long seq;
    try (Feed feed = new Feed(a.appKey(), -1)) {
      assertThat(feed.status).isEqualTo(200);
      JsonNode hello = feed.next("hello");
      assertThat(hello.path("replica").asText()).isEqualTo("replica-t");
      service.api.post("/v1/grants/" + other.grantId() + "/revoke", service.adminKey, "{}");
      service.api.post("/v1/grants/" + a.grantId() + "/revoke", service.adminKey, "{}");
      JsonNode change = feed.next("change");
      assertThat(change.path("kind").asText()).isEqualTo("grant_revoked");
      assertThat(change.path("grant_id").asText()).isEqualTo(a.grantId());
      seq = change.path("seq").asLong();
      assertThat(feed.next("heartbeat").path("seq").asLong()).isGreaterThanOrEqualTo(seq);
    }
    // changed while no subscription was open: delivered on resume
    service.api.put(
        "/v1/secrets/" + a.secretId() + "/credential",
        service.adminKey,
        "{\"credential\":\"feed-a2\"}");
    try (Feed feed = new Feed(a.appKey(), seq)) {
      feed.next("hello");
      JsonNode missed = feed.next("change");
      assertThat(missed.path("kind").asText()).isEqualTo("secret_rotated");
      assertThat(missed.path("secret_id").asText()).isEqualTo(a.secretId());
      assertThat(missed.path("version").asLong()).isEqualTo(2);
    }
  }

  @Test
  void aResumeFromBeforeTheRetentionIsToldToDropItsCache() throws Exception {
    App a = app("feed-retention");
    long old = lastSeq();
    service.api.post("/v1/grants/" + a.grantId() + "/revoke", service.adminKey, "{}");
    // retention is 3 s here; pruning runs every 1.5 s
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (service.count("SELECT COUNT(*) FROM change_log WHERE seq > " + old) > 0
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    try (Feed feed = new Feed(a.appKey(), old)) {
      feed.next("hello");
      JsonNode reset = feed.next("reset");
      assertThat(reset.path("seq").asLong()).isGreaterThan(old);
    }
  }

  @Test
  void adminKeysCannotSubscribeAndUnsignedKeysAreRefused() {
    ApiClient.Response admin =
        service.api.post(
            "/v1/changes",
            service.adminKey,
            "{\"host_name\":\"h\",\"pid\":1,\"agent_version\":\"v\"}");
    assertThat(admin.status()).isEqualTo(403);
    ApiClient.Response none =
        service.api.post(
            "/v1/changes", null, "{\"host_name\":\"h\",\"pid\":1,\"agent_version\":\"v\"}");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.code()).isEqualTo("unauthorized_app");
  }

  @Test
  void connectedAgentsAreListedWithHostPidVersionAndReplicaAndHeartbeatsKeepThem()
      throws Exception {
    App a = app("feed-connected");
    try (Feed feed = new Feed(a.appKey(), -1)) {
      String connection = feed.next("hello").path("connection_id").asText();
      JsonNode listed =
          service.api.get("/v1/apps/" + a.appId() + "/connections", service.adminKey).json();
      assertThat(listed.path("connections")).hasSize(1);
      JsonNode agent = listed.path("connections").get(0);
      assertThat(agent.path("connection_id").asText()).isEqualTo(connection);
      assertThat(agent.path("host_name").asText()).isEqualTo("test-host");
      assertThat(agent.path("pid").asLong()).isEqualTo(4242);
      assertThat(agent.path("agent_version").asText()).isEqualTo("9.9.9-test");
      assertThat(agent.path("replica").asText()).isEqualTo("replica-t");
      assertThat(agent.path("connected_since").asText()).isNotEmpty();
      assertThat(agent.path("last_seen").asText()).isNotEmpty();

      String beat = "{\"connection_id\":\"" + connection + "\"}";
      assertThat(
              service
                  .api
                  .postSigned(
                      "/v1/changes/heartbeat",
                      a.appKey(),
                      null,
                      beat,
                      System.currentTimeMillis() / 1000,
                      RequestSigning.newNonce())
                  .status())
          .isEqualTo(200);
      ApiClient.Response unknown =
          service.api.postSigned(
              "/v1/changes/heartbeat",
              a.appKey(),
              null,
              "{\"connection_id\":\"con_nope\"}",
              System.currentTimeMillis() / 1000,
              RequestSigning.newNonce());
      assertThat(unknown.status()).isEqualTo(404);
    }
  }

  @Test
  void aSubscriptionWhoseAgentStopsSendingHeartbeatsIsEnded() throws Exception {
    App a = app("feed-silent");
    try (Feed feed = new Feed(a.appKey(), -1)) {
      feed.next("hello");
      // heartbeat interval 1 s: the service gives up after 3 intervals and a second
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (System.nanoTime() < deadline
          && service
                  .api
                  .get("/v1/apps/" + a.appId() + "/connections", service.adminKey)
                  .json()
                  .path("connections")
                  .size()
              > 0) {
        Thread.sleep(200);
      }
      assertThat(
              service
                  .api
                  .get("/v1/apps/" + a.appId() + "/connections", service.adminKey)
                  .json()
                  .path("connections"))
          .isEmpty();
    }
  }
}
