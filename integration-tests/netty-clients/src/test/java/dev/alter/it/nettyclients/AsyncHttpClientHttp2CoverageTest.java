package dev.alter.it.nettyclients;

import java.util.List;

/**
 * AsyncHttpClient 3.0.14 (Netty 4.2) with its default HTTP/2 by ALPN, where it writes HTTP/2
 * HEADERS frames on stream channels itself: the stream channel hook injects, binds and refuses as
 * the HTTP/1.1 hook does, and a refusal reaches the app as {@code AlterCredentialException}.
 */
class AsyncHttpClientHttp2CoverageTest extends AbstractNettyHttp2CoverageTest {
  @Override
  NettyClientApp client() {
    return NettyClientApp.ASYNC_HTTP_CLIENT;
  }

  @Override
  String clientJar() {
    return "async-http-client-3.0.14.jar";
  }

  @Override
  String pathPrefix() {
    return "ahc-h2";
  }

  @Override
  List<String> refusalChain() {
    return List.of(
        "java.util.concurrent.ExecutionException",
        "dev.alter.agent.bootstrap.AlterCredentialException");
  }
}
