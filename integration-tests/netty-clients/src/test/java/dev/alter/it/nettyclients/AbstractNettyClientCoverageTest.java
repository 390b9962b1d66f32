package dev.alter.it.nettyclients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the netty-http hook does for a Netty-based client that is not Reactor Netty, in a child JVM
 * under the real agent: the credential injected over TLS and plain HTTP, {@code alter-*} removed,
 * the app's request object left without the credential, destination binding on the dialled origin,
 * and refusals (revoked grant, another port, a wrong app key) with nothing sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractNettyClientCoverageTest {
  static final Duration ANSWER = Duration.ofSeconds(45);

  final ClientWorld world = ClientWorld.get();
  private RunningChild app;

  /** The JDK the app runs on. */
  JavaRuntime runtime() {
    return JavaRuntime.JDK_17;
  }

  /** The app under the agent with this app key. */
  abstract RunningChild start(String appKey);

  @BeforeAll
  void startApp() {
    app = start(world.app.apiKey);
  }

  @AfterAll
  void credentialsNeverReachedTheAppsOutput() {
    if (app == null) {
      return; // the start failed, and said why
    }
    app.close();
    for (String credential : world.credentials()) {
      assertThat(app.stdout() + app.stderr()).doesNotContain(credential);
    }
  }

  JsonNode send(RunningChild child, ChildRequest request) {
    return child.ask("request " + request.toLine(), ANSWER);
  }

  List<RecordedRequest> receivedAt(String path) {
    return Stream.of(world.provider, world.otherPort, world.plain)
        .flatMap(server -> server.requests().stream())
        .filter(r -> r.target().equals(path))
        .toList();
  }

  @Test
  void taggedRequestOverTlsGetsTheCredentialAndNoAlterHeader() {
    String path = "/netty/tls/" + RandomHex.of(4);
    JsonNode report =
        send(
            app,
            ChildRequest.get(world.datadogOrigin() + path)
                .grant(world.datadogGrant)
                .header("X-Marker", "m1"));

    assertThat(report.path("status").asInt()).as("%s\n%s", report, app.describe()).isEqualTo(200);
    List<RecordedRequest> received = receivedAt(path);
    assertThat(received).hasSize(1);
    assertThat(received.get(0).headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
    assertThat(received.get(0).hasAnyAlterHeader()).as("%s", received.get(0)).isFalse();
    assertThat(received.get(0).header("X-Marker")).isEqualTo("m1");
    for (JsonNode seen : report.path("observed")) {
      assertThat(seen.asText()).contains(world.datadogGrant).doesNotContain(world.datadogKey);
    }
  }

  @Test
  void explicitlyAllowedPlainHttpDestinationGetsTheCredential() {
    String path = "/netty/plain/" + RandomHex.of(4);
    JsonNode report = send(app, ChildRequest.get(world.plain.url(path)).grant(world.plainGrant));

    assertThat(report.path("status").asInt()).as("%s", report).isEqualTo(200);
    List<RecordedRequest> received = receivedAt(path);
    assertThat(received).hasSize(1);
    assertThat(received.get(0).headerValues("X-Api-Key")).containsExactly(world.plainKey);
    assertThat(received.get(0).hasAnyAlterHeader()).isFalse();
  }

  @Test
  void anotherPortOfTheAllowedHostIsRefusedWithNothingSent() {
    String path = "/netty/other-port/" + RandomHex.of(4);
    JsonNode report =
        send(
            app,
            ChildRequest.get("https://api.datadoghq.com:" + world.otherPort.port() + path)
                .grant(world.datadogGrant));

    assertFailedClosed(report, "host_not_allowed", world.datadogGrant);
    assertThat(receivedAt(path)).isEmpty();
  }

  @Test
  void revokedGrantFailsClosedWithNothingSent() {
    String path = "/netty/revoked/" + RandomHex.of(4);
    JsonNode report =
        send(app, ChildRequest.get(world.datadogOrigin() + path).grant(world.revokedGrant));

    assertFailedClosed(report, "grant_revoked", world.revokedGrant);
    assertThat(receivedAt(path)).isEmpty();
  }

  @Test
  void untaggedRequestIsLeftAlone() {
    String path = "/netty/untagged/" + RandomHex.of(4);
    JsonNode report =
        send(app, ChildRequest.get(world.datadogOrigin() + path).header("X-Plain", "1"));

    assertThat(report.path("status").asInt()).as("%s", report).isEqualTo(200);
    RecordedRequest received = receivedAt(path).get(0);
    assertThat(received.header("X-Plain")).isEqualTo("1");
    assertThat(received.hasHeader("DD-API-KEY")).isFalse();
  }

  @Test
  void aWrongAppKeyFailsClosedWithNothingSent() {
    try (RunningChild wrongKey = start("alter_key_app_" + RandomHex.of(24))) {
      String path = "/netty/wrong-key/" + RandomHex.of(4);
      JsonNode report =
          send(wrongKey, ChildRequest.get(world.datadogOrigin() + path).grant(world.datadogGrant));

      assertFailedClosed(report, "unauthorized_app", world.datadogGrant);
      assertThat(receivedAt(path)).isEmpty();
    }
  }

  /**
   * The refusal as the app sees it: by default the agent's exception with its code and grant id,
   * for a client that passes on the failure of the header write it made.
   */
  void assertFailedClosed(JsonNode report, String code, String grant) {
    assertAgentRefusal(report, code, grant);
  }

  static void assertAgentRefusal(JsonNode report, String code, String grant) {
    JsonNode error = report.path("error");
    assertThat(error.path("class").asText())
        .as("%s", report)
        .isEqualTo("dev.alter.agent.bootstrap.AlterCredentialException");
    assertThat(error.path("code").asText()).isEqualTo(code);
    assertThat(error.path("grant_id").asText()).isEqualTo(grant);
  }
}
