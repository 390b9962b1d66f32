package dev.alter.it.nettyclients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.RunningChild;
import java.time.Duration;

/** AsyncHttpClient 3.0.14 (HTTP/1.1, Netty 4.2) through the netty-http hook. */
class AsyncHttpClientCoverageTest extends AbstractNettyClientCoverageTest {
  @Override
  RunningChild start(String appKey) {
    RunningChild app = NettyClientApp.ASYNC_HTTP_CLIENT.child(world, appKey).start();
    JsonNode ready = app.nextReport(Duration.ofSeconds(60));
    assertThat(ready.path("client_jar").asText())
        .as(app.describe())
        .isEqualTo("async-http-client-3.0.14.jar");
    return app;
  }
}
