package dev.alter.it.nettyclients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RunningChild;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Vert.x 5.0.7 web client (Netty 4.2) over HTTP/1.1 through the netty-http hook; over HTTP/2,
 * where Vert.x writes HTTP/2 headers itself, a tagged request is refused and never sent, the
 * refusal reaches the app only as Vert.x's own timeout or closed connection, and the agent says
 * once which client it was.
 */
class VertxWebClientCoverageTest extends AbstractNettyClientCoverageTest {
  @Override
  RunningChild start(String appKey) {
    return started(appKey, "HTTP11");
  }

  private RunningChild started(String appKey, String protocol) {
    RunningChild app =
        NettyClientApp.VERTX_WEB_CLIENT.child(world, appKey, protocol).runtime(runtime()).start();
    JsonNode ready = app.nextReport(Duration.ofSeconds(60));
    assertThat(ready.path("java_version").asInt())
        .as(app.describe())
        .isEqualTo(runtime() == JavaRuntime.JDK_17 ? 17 : 25);
    assertThat(ready.path("client_jar").asText())
        .as(app.describe())
        .isEqualTo("vertx-core-5.0.7.jar");
    return app;
  }

  /**
   * Over HTTP/2 Vert.x writes the headers itself and drops the failure of that write: nothing is
   * sent, and the call ends by the app's idle timeout (or the server closing the idle connection),
   * not with the agent's exception. Over HTTP/1.1 the refusal reaches Vert.x through the pipeline.
   */
  private static void assertVertxEndedTheH2Call(JsonNode report) {
    assertThat(report.path("error").path("class").asText())
        .as("%s", report)
        .isIn(
            "io.vertx.core.http.HttpClosedException",
            "io.vertx.core.impl.NoStackTraceTimeoutException");
  }

  @Test
  void overHttp2ATaggedRequestIsRefusedNeverSentWhileUntaggedOnesGoOut() {
    try (RunningChild app = started(world.app.apiKey, "H2")) {
      String tagged = "/netty/vertx-h2/tagged/" + RandomHex.of(4);
      JsonNode refused =
          send(app, ChildRequest.get(world.datadogOrigin() + tagged).grant(world.datadogGrant));
      assertVertxEndedTheH2Call(refused);
      assertThat(receivedAt(tagged)).isEmpty();

      String untagged = "/netty/vertx-h2/untagged/" + RandomHex.of(4);
      JsonNode ok = send(app, ChildRequest.get(world.datadogOrigin() + untagged));
      assertThat(ok.path("status").asInt()).as("%s", ok).isEqualTo(200);
      assertThat(receivedAt(untagged)).singleElement().matches(r -> r.isHttp2());

      String again = "/netty/vertx-h2/tagged-again/" + RandomHex.of(4);
      assertVertxEndedTheH2Call(
          send(app, ChildRequest.get(world.datadogOrigin() + again).grant(world.datadogGrant)));
      assertThat(receivedAt(again)).isEmpty();
      app.close();
      assertWarnedOnceAboutTheUnhookedClient(app, "io.vertx.");
    }
  }
}
