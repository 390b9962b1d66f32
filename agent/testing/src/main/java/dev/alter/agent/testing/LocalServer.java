package dev.alter.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A loopback HTTP or HTTPS server (the JDK's own) that records every request it receives and
 * answers 200, or a redirect for paths registered with {@link #redirect}.
 */
public final class LocalServer implements AutoCloseable {
  /** One received request: header names as the JDK server normalises them. */
  public static final class Received {
    public final String method;
    public final String target;
    public final Map<String, List<String>> headers;
    public final String body;

    Received(String method, String target, Map<String, List<String>> headers, String body) {
      this.method = method;
      this.target = target;
      this.headers = headers;
      this.body = body;
    }

    public List<String> header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return List.of();
    }

    public boolean hasHeader(String name) {
      return !header(name).isEmpty();
    }

    /** Every header line, for "the credential is nowhere" checks. */
    public String dump() {
      return method + " " + target + " " + headers + " " + body;
    }
  }

  private final HttpServer server;
  private final String scheme;
  public final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, String> redirects = new ConcurrentHashMap<>();

  private LocalServer(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
    server.createContext("/", this::handle);
    server.start();
  }

  public static LocalServer http() throws IOException {
    return new LocalServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), "http");
  }

  public static LocalServer https(SSLContext tls) throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new LocalServer(server, "https");
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code scheme://127.0.0.1:port}, the origin as the injector sees it. */
  public String origin() {
    return scheme + "://127.0.0.1:" + port();
  }

  public String url(String path) {
    return origin() + path;
  }

  public LocalServer redirect(String path, String location) {
    redirects.put(path, location);
    return this;
  }

  public Received single() {
    if (received.size() != 1) {
      throw new AssertionError("expected exactly one request, got " + received.size());
    }
    return received.get(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
    received.add(
        new Received(
            exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body));
    String location = redirects.get(exchange.getRequestURI().getPath());
    if (location != null) {
      exchange.getResponseHeaders().add("Location", location);
      exchange.sendResponseHeaders(302, -1);
    } else {
      byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, ok.length);
      exchange.getResponseBody().write(ok);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
