package dev.alter.agent.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.config.AgentConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The change feed starts at the service's latest change when it says hello, so a grant resolved
 * before that hello could be revoked unseen. A service that says hello late (here 400 ms) must
 * still see the agent's first resolve only after it.
 */
class FeedBeforeFirstResolveTest {
  private static final long HELLO_DELAY_MILLIS = 400;

  private final List<String> arrivals = new CopyOnWriteArrayList<>();
  private final CountDownLatch streamsEnd = new CountDownLatch(1);
  private HttpServer service;

  @AfterEach
  void stop() {
    streamsEnd.countDown();
    if (service != null) {
      service.stop(0);
    }
  }

  @Test
  void theFirstResolveWaitsForTheFeedsHello() throws Exception {
    service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    service.setExecutor(Executors.newCachedThreadPool());
    service.createContext("/v1/changes", this::slowHello);
    service.createContext(
        "/v1/resolve",
        exchange -> {
          arrivals.add("resolve");
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    service.start();
    DeferredInjector deferred =
        new DeferredInjector(
            AgentConfig.load(
                null,
                name -> null,
                Map.of(
                        "ALTER_RESOLVER_URL",
                        "http://127.0.0.1:" + service.getAddress().getPort(),
                        "ALTER_API_KEY",
                        "alter_key_app_test")
                    ::get));

    assertThatThrownBy(
            () ->
                deferred.rewrite(
                    new OutgoingRequest("GET", "https", "api.stripe.com", -1, "/")
                        .header("alter-grant", "grt_1")))
        .isInstanceOf(AlterCredentialException.class);

    assertThat(arrivals).startsWith("subscribe", "hello", "resolve");
  }

  private void slowHello(HttpExchange exchange) throws IOException {
    if (exchange.getRequestURI().getPath().endsWith("/heartbeat")) {
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
      return;
    }
    arrivals.add("subscribe");
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.flush();
      Thread.sleep(HELLO_DELAY_MILLIS);
      arrivals.add("hello");
      out.write(
          ("event: hello\ndata: {\"seq\":7,\"connection_id\":\"c1\",\"replica\":\"r1\","
                  + "\"heartbeat_seconds\":2}\n\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      streamsEnd.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
