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
 * AsyncHttpClient 3.0.14 (Netty 4.2) with HTTP/2 off through the netty-http hook; with its default
 * HTTP/2 by ALPN, where it writes HTTP/2 header frames itself, a tagged request fails and is never
 * sent, and the agent says once which client it was.
 */
class AsyncHttpClientCoverageTest extends AbstractNettyClientCoverageTest {
  @Override
  RunningChild start(String appKey) {
    return started(appKey, "HTTP11");
  }

  private RunningChild started(String appKey, String protocol) {
    RunningChild app =
        NettyClientApp.ASYNC_HTTP_CLIENT.child(world, appKey, protocol).runtime(runtime()).start();
    JsonNode ready = app.nextReport(Duration.ofSeconds(60));
    assertThat(ready.path("java_version").asInt())
        .as(app.describe())
        .isEqualTo(runtime() == JavaRuntime.JDK_17 ? 17 : 25);
    assertThat(ready.path("client_jar").asText())
        .as(app.describe())
        .isEqualTo("async-http-client-3.0.14.jar");
    return app;
  }

  @Test
  void overHttp2ATaggedRequestFailsAndIsNeverSentWhileUntaggedOnesGoOut() {
    try (RunningChild app = started(world.app.apiKey, "H2")) {
      String tagged = "/netty/ahc-h2/tagged/" + RandomHex.of(4);
      JsonNode refused =
          send(app, ChildRequest.get(world.datadogOrigin() + tagged).grant(world.datadogGrant));
      // the agent fails the HEADERS write; AsyncHttpClient reports its stream closed
      assertThat(refused.path("error").path("is_io_exception").asBoolean())
          .as("%s", refused)
          .isTrue();
      assertThat(receivedAt(tagged)).isEmpty();

      String untagged = "/netty/ahc-h2/untagged/" + RandomHex.of(4);
      JsonNode ok = send(app, ChildRequest.get(world.datadogOrigin() + untagged));
      assertThat(ok.path("status").asInt()).as("%s", ok).isEqualTo(200);
      assertThat(receivedAt(untagged)).singleElement().matches(r -> r.isHttp2());

      String again = "/netty/ahc-h2/tagged-again/" + RandomHex.of(4);
      JsonNode refusedAgain =
          send(app, ChildRequest.get(world.datadogOrigin() + again).grant(world.datadogGrant));
      assertThat(refusedAgain.path("error").path("is_io_exception").asBoolean())
          .as("%s", refusedAgain)
          .isTrue();
      assertThat(receivedAt(again)).isEmpty();
      app.close();
      assertWarnedOnceAboutTheUnhookedClient(app, "org.asynchttpclient.");
    }
  }
}
