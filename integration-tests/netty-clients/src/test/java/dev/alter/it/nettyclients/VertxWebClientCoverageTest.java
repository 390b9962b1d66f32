package dev.alter.it.nettyclients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RunningChild;
import java.time.Duration;

/**
 * The Vert.x 5.0.7 web client (Netty 4.2) over HTTP/1.1 through the netty-http hook; over HTTP/2
 * see {@link VertxWebClientHttp2CoverageTest}.
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
}
