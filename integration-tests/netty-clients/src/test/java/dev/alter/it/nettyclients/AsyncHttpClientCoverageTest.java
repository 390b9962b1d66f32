package dev.alter.it.nettyclients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RunningChild;
import java.time.Duration;

/**
 * AsyncHttpClient 3.0.14 (Netty 4.2) with HTTP/2 off through the netty-http hook; its default
 * HTTP/2 is covered by {@link AsyncHttpClientHttp2CoverageTest}.
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
}
