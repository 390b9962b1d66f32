package dev.alter.it.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.CannedResponse;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ClientJars;
import dev.alter.it.harness.HostsFile;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import dev.alter.it.harness.TestCertificate;
import dev.alter.it.okhttp.app.SlackSdkApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real vendor SDK restricted by a grant policy to the calls it makes: the Slack Java SDK
 * (slack-api-client, on OkHttp) with a placeholder bot token, under the real agent, against a
 * stand-in for slack.com on loopback over TLS. The grant allows {@code auth.test} and {@code
 * chat.postMessage} (at most 60 a minute, the case): those carry the stored token; {@code
 * conversations.list} fails in the app with {@code policy_violation} and nothing reaches the
 * server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlackSdkTest {
  private static final String HOST = "slack.com";

  private final String token = "xoxb-" + RandomHex.of(20);
  private RecordingServer slack;
  private String grant;
  private RunningChild app;

  @BeforeAll
  void startApp() {
    ResolverServiceProcess service = SharedResolverService.get();
    Path workDir = SharedResolverService.workDirectory("slack-sdk");
    TestCertificate certificate = TestCertificate.generate(workDir, List.of(HOST));
    HostsFile hosts = HostsFile.loopback(workDir, List.of(HOST));
    slack = RecordingServer.https(certificate, HOST);
    slack.respond(
        "/api/auth.test",
        CannedResponse.json(
            "{\"ok\":true,\"url\":\"https://acme.slack.com/\",\"team\":\"Acme\",\"user\":\"bot\","
                + "\"team_id\":\"T0123\",\"user_id\":\"U0123\"}"));
    slack.respond(
        "/api/chat.postMessage",
        CannedResponse.json("{\"ok\":true,\"channel\":\"C0123\",\"ts\":\"1700000000.000100\"}"));
    slack.respondByDefault(CannedResponse.json("{\"ok\":true,\"channels\":[]}"));

    AdminClient admin = service.admin();
    AdminClient.App owner = admin.createApp("slack-sdk-" + RandomHex.of(4));
    String origin = "https://" + HOST + ":" + slack.port();
    String secret =
        admin.storeSecretId(NewSecret.provider(owner.appId, "slack", token).destinations(origin));
    grant =
        admin.createSystemGrant(
            secret,
            "slack-bot",
            Map.of(
                "requests",
                List.of("POST /api/auth.test", "POST /api/chat.postMessage"),
                "rate_limits",
                List.of(Map.of("requests", 60, "per_seconds", 60))));

    ChildJvm child =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_17)
            .withAgent()
            .resolver(service.baseUrl(), owner.apiKey)
            .main(SlackSdkApp.class, origin + "/api/", grant)
            .classpathOf(ChildReport.class)
            .trusting(certificate)
            .hosts(hosts);
    for (Path jar : OkHttpRelease.OKHTTP_4.jars()) {
      child.classpathEntry(jar);
    }
    for (Path jar : ClientJars.in("alter.okhttp.clients", "slack")) {
      child.classpathEntry(jar);
    }
    app = child.start();
    assertThat(app.nextReport(Duration.ofSeconds(30)).path("ready").asBoolean()).isTrue();
  }

  @AfterAll
  void tokenNeverReachedTheAppsOutput() {
    try {
      if (app != null) {
        assertThat(app.stdout()).doesNotContain(token);
        assertThat(app.stderr()).doesNotContain(token);
        app.close();
      }
    } finally {
      if (slack != null) {
        slack.close();
      }
    }
  }

  @BeforeEach
  void clearRecordings() {
    slack.clear();
  }

  @Test
  void theCallsThePolicyAllowsCarryTheStoredToken() {
    JsonNode auth = app.ask("auth", Duration.ofSeconds(40));
    assertThat(auth.path("ok").asBoolean()).as("app report %s", auth).isTrue();
    JsonNode post = app.ask("post", Duration.ofSeconds(40));
    assertThat(post.path("ok").asBoolean()).as("app report %s", post).isTrue();

    List<RecordedRequest> received = slack.requests();
    assertThat(received)
        .extracting(RecordedRequest::target)
        .containsExactly("/api/auth.test", "/api/chat.postMessage");
    for (RecordedRequest r : received) {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.headerValues("Authorization")).containsExactly("Bearer " + token);
      assertThat(r.hasAnyAlterHeader()).isFalse();
      assertThat(r.header("User-Agent")).contains("slack-api-client");
    }
    assertThat(received.get(1).bodyText()).contains("channel=C0123", "text=deploy%20finished");
  }

  @Test
  void aCallOutsideThePolicyFailsClosedWithPolicyViolationAndSendsNothing() {
    JsonNode list = app.ask("list", Duration.ofSeconds(40));

    assertThat(list.path("cause_chain").toString())
        .as("app report %s", list)
        .contains(
            "dev.alter.agent.bootstrap.AlterCredentialException",
            "policy_violation",
            grant,
            "POST /api/conversations.list");
    assertThat(slack.requests()).isEmpty();
  }
}
