package dev.alter.it.nettyclients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Vert.x 5.0.7 web client (Netty 4.2) over HTTP/2 by ALPN, where Vert.x drives Netty's HTTP/2
 * connection encoder itself: the encoder hook injects, binds and refuses as the HTTP/1.1 hook does;
 * a refusal is raised as a stream error of the refused stream, which Vert.x fails the request with
 * ({@code StreamResetException}/{@code Http2Exception} whose cause chain holds {@code
 * AlterCredentialException}), nothing sent.
 */
class VertxWebClientHttp2CoverageTest extends AbstractNettyClientCoverageTest {
  JavaRuntime runtime() {
    return JavaRuntime.JDK_17;
  }

  @Override
  RunningChild start(String appKey) {
    RunningChild app =
        NettyClientApp.VERTX_WEB_CLIENT.child(world, appKey, "H2").runtime(runtime()).start();
    JsonNode ready = app.nextReport(Duration.ofSeconds(60));
    assertThat(ready.path("client_jar").asText())
        .as(app.describe())
        .isEqualTo("vertx-core-5.0.7.jar");
    return app;
  }

  @Test
  void taggedRequestGoesOutOverHttp2WithTheCredential() {
    try (RunningChild app = start(world.app.apiKey)) {
      String path = "/netty/vertx-h2/tagged/" + RandomHex.of(4);
      JsonNode report =
          send(
              app,
              ChildRequest.get(world.datadogOrigin() + path)
                  .grant(world.datadogGrant)
                  .header("X-Marker", "h2"));

      assertThat(report.path("status").asInt()).as("%s", report).isEqualTo(200);
      List<RecordedRequest> received = receivedAt(path);
      assertThat(received).singleElement().matches(RecordedRequest::isHttp2);
      assertThat(received.get(0).headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
      assertThat(received.get(0).hasAnyAlterHeader()).as("%s", received.get(0)).isFalse();
      assertThat(received.get(0).header("X-Marker")).isEqualTo("h2");
      assertThat(report.path("observed")).isNotEmpty();
      for (JsonNode seen : report.path("observed")) {
        assertThat(seen.asText()).contains(world.datadogGrant).doesNotContain(world.datadogKey);
      }
    }
  }

  @Test
  void aRefusedStreamLeavesItsConnectionServingOtherRequests() {
    try (RunningChild app = start(world.app.apiKey)) {
      String before = "/netty/vertx-h2/before/" + RandomHex.of(4);
      assertThat(send(app, ChildRequest.get(world.datadogOrigin() + before)).path("status").asInt())
          .isEqualTo(200);
      String refused = "/netty/vertx-h2/refused/" + RandomHex.of(4);
      assertAgentRefusal(
          send(app, ChildRequest.get(world.datadogOrigin() + refused).grant(world.revokedGrant)),
          "grant_revoked",
          world.revokedGrant);
      String after = "/netty/vertx-h2/after/" + RandomHex.of(4);
      JsonNode ok =
          send(app, ChildRequest.get(world.datadogOrigin() + after).grant(world.datadogGrant));

      assertThat(ok.path("status").asInt()).as("%s", ok).isEqualTo(200);
      assertThat(receivedAt(refused)).isEmpty();
      RecordedRequest first = receivedAt(before).get(0);
      RecordedRequest last = receivedAt(after).get(0);
      assertThat(last.isHttp2()).isTrue();
      assertThat(last.connection()).as("same HTTP/2 connection").isEqualTo(first.connection());
    }
  }

  @Test
  void aRefusalReachesTheAppWithTheAgentsExceptionInItsCauseChain() {
    try (RunningChild app = start(world.app.apiKey)) {
      String path = "/netty/vertx-h2/chain/" + RandomHex.of(4);
      JsonNode report =
          send(app, ChildRequest.get(world.datadogOrigin() + path).grant(world.revokedGrant));
      assertAgentRefusal(report, "grant_revoked", world.revokedGrant);
      assertThat(report.path("thrown_chain"))
          .extracting(JsonNode::asText)
          .as("the failure as the app's future gave it, then its causes")
          .containsExactly(
              "java.util.concurrent.ExecutionException",
              "io.netty.handler.codec.http2.Http2Exception$StreamException",
              "dev.alter.agent.bootstrap.AlterCredentialException");
      assertThat(receivedAt(path)).isEmpty();
    }
  }
}
