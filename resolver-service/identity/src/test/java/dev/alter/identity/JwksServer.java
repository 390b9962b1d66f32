package dev.alter.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A JWKS endpoint on 127.0.0.1 that counts its hits and can be made to fail. */
final class JwksServer implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger hits = new AtomicInteger();
  private volatile String body = "{\"keys\":[]}";
  private volatile int status = 200;

  private JwksServer(HttpServer server) {
    this.server = server;
  }

  static JwksServer start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      JwksServer jwks = new JwksServer(server);
      server.createContext(
          "/jwks.json",
          exchange -> {
            jwks.hits.incrementAndGet();
            byte[] bytes = jwks.body.getBytes(StandardCharsets.UTF_8);
            int code = jwks.status;
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (code != 200) {
              bytes = "{\"error\":\"unavailable\"}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          });
      server.start();
      return jwks;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serves these keys (public parts only) from now on. */
  JwksServer publish(JWK... keys) {
    body = new JWKSet(List.of(keys)).toString(true);
    return this;
  }

  /** Answers every request with this HTTP status (e.g. 503) until {@link #recover()}. */
  void failWith(int status) {
    this.status = status;
  }

  void recover() {
    this.status = 200;
  }

  int hits() {
    return hits.get();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
  }

  URL jwksUrl() {
    try {
      return new URL(url());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
