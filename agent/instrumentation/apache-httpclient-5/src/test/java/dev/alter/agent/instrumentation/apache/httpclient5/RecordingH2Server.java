package dev.alter.agent.instrumentation.apache.httpclient5;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncServer;
import org.apache.hc.core5.http.nio.AsyncRequestConsumer;
import org.apache.hc.core5.http.nio.AsyncServerRequestHandler;
import org.apache.hc.core5.http.nio.entity.StringAsyncEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestConsumer;
import org.apache.hc.core5.http.nio.support.BasicResponseProducer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.impl.nio.bootstrap.H2ServerBootstrap;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ListenerEndpoint;

/**
 * HTTP/2 (h2c, prior knowledge) server on loopback, built from HttpCore, recording request heads.
 */
final class RecordingH2Server implements AutoCloseable {
  final List<HttpRequest> received = new CopyOnWriteArrayList<>();
  private final HttpAsyncServer server;
  private final int port;

  RecordingH2Server() throws Exception {
    server =
        H2ServerBootstrap.bootstrap()
            .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_2)
            .setCanonicalHostName("127.0.0.1")
            .register(
                "*",
                new AsyncServerRequestHandler<Message<HttpRequest, String>>() {
                  @Override
                  public AsyncRequestConsumer<Message<HttpRequest, String>> prepare(
                      HttpRequest request, EntityDetails entityDetails, HttpContext context) {
                    return new BasicRequestConsumer<>(
                        entityDetails != null ? new StringAsyncEntityConsumer() : null);
                  }

                  @Override
                  public void handle(
                      Message<HttpRequest, String> message,
                      ResponseTrigger trigger,
                      HttpContext context)
                      throws HttpException, java.io.IOException {
                    received.add(message.getHead());
                    trigger.submitResponse(new BasicResponseProducer(200, "ok"), context);
                  }
                })
            .create();
    server.start();
    ListenerEndpoint endpoint =
        server.listen(new InetSocketAddress("127.0.0.1", 0), URIScheme.HTTP).get();
    port = ((InetSocketAddress) endpoint.getAddress()).getPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    server.close(CloseMode.IMMEDIATE);
  }
}
