package dev.alter.it.nettyclients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Netty-based client with its default HTTP/2 by ALPN: besides the cases every Netty client gets,
 * the credential goes out over HTTP/2, a refused stream leaves its connection serving others, and
 * the refusal reaches the app with the agent's exception in its cause chain.
 */
abstract class AbstractNettyHttp2CoverageTest extends AbstractNettyClientCoverageTest {
  /** The scripted app for this client. */
  abstract NettyClientApp client();

  /** The jar the app reports its client was loaded from. */
  abstract String clientJar();

  /** The first path segment after {@code /netty/}, unique to this client. */
  abstract String pathPrefix();

  /** The failure the app's future gives for a refusal, then its causes, by class name. */
  abstract List<String> refusalChain();

  @Override
  RunningChild start(String appKey) {
    RunningChild app = client().child(world, appKey, "H2").runtime(runtime()).start();
    JsonNode ready = app.nextReport(Duration.ofSeconds(60));
    assertThat(ready.path("client_jar").asText()).as(app.describe()).isEqualTo(clientJar());
    return app;
  }

  private String path(String kind) {
    return "/netty/" + pathPrefix() + "/" + kind + "/" + RandomHex.of(4);
  }

  @Test
  void taggedRequestGoesOutOverHttp2WithTheCredential() {
    try (RunningChild app = start(world.app.apiKey)) {
      String path = path("tagged");
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
      String before = path("before");
      assertThat(send(app, ChildRequest.get(world.datadogOrigin() + before)).path("status").asInt())
          .isEqualTo(200);
      String refused = path("refused");
      assertAgentRefusal(
          send(app, ChildRequest.get(world.datadogOrigin() + refused).grant(world.revokedGrant)),
          "grant_revoked",
          world.revokedGrant);
      String after = path("after");
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
      String path = path("chain");
      JsonNode report =
          send(app, ChildRequest.get(world.datadogOrigin() + path).grant(world.revokedGrant));
      assertAgentRefusal(report, "grant_revoked", world.revokedGrant);
      assertThat(report.path("thrown_chain"))
          .extracting(JsonNode::asText)
          .as("the failure as the app's future gave it, then its causes")
          .containsExactlyElementsOf(refusalChain());
      assertThat(receivedAt(path)).isEmpty();
    }
  }
}
