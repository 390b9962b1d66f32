package dev.alter.it.nettyclients;

import java.util.List;

/**
 * The Vert.x 5.0.7 web client (Netty 4.2) over HTTP/2 by ALPN, where Vert.x drives Netty's HTTP/2
 * connection encoder itself: the encoder hook injects, binds and refuses as the HTTP/1.1 hook does;
 * a refusal is raised as a stream error of the refused stream, which Vert.x fails the request with
 * ({@code StreamResetException}/{@code Http2Exception} whose cause chain holds {@code
 * AlterCredentialException}), nothing sent.
 */
class VertxWebClientHttp2CoverageTest extends AbstractNettyHttp2CoverageTest {
  @Override
  NettyClientApp client() {
    return NettyClientApp.VERTX_WEB_CLIENT;
  }

  @Override
  String clientJar() {
    return "vertx-core-5.0.7.jar";
  }

  @Override
  String pathPrefix() {
    return "vertx-h2";
  }

  @Override
  List<String> refusalChain() {
    return List.of(
        "java.util.concurrent.ExecutionException",
        "io.netty.handler.codec.http2.Http2Exception$StreamException",
        "dev.alter.agent.bootstrap.AlterCredentialException");
  }
}
