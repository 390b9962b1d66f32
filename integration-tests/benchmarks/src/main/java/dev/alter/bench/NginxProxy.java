package dev.alter.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The sidecar-proxy pattern: a local nginx reverse proxy that adds the credential header and
 * forwards to the provider over kept-alive upstream connections. Configuration generated into a
 * work directory; nginx runs in the foreground as a child of this JVM, listens on 127.0.0.1 only,
 * and is stopped by {@link #close()}.
 */
final class NginxProxy implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final Process process;

  private NginxProxy(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /**
   * @param nginx the nginx executable
   * @param upstreamPort the provider's port on 127.0.0.1
   */
  static NginxProxy start(
      String nginx, Path workDir, int upstreamPort, String headerName, String headerValue) {
    try {
      Path dir = Files.createDirectories(workDir.resolve("nginx"));
      Files.createDirectories(dir.resolve("temp"));
      int port = freeLoopbackPort();
      Path config = dir.resolve("nginx.conf");
      Files.writeString(
          config,
          configuration(dir, port, upstreamPort, headerName, headerValue),
          StandardCharsets.UTF_8);
      ProcessBuilder builder =
          new ProcessBuilder(
              nginx,
              "-p",
              dir.toString(),
              "-c",
              config.toString(),
              "-e",
              dir.resolve("error.log").toString());
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()));
      Process process = builder.start();
      NginxProxy proxy = new NginxProxy(dir, port, process);
      proxy.awaitListening();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("nginx did not start (" + nginx + ")", e);
    }
  }

  static String configuration(
      Path dir, int port, int upstreamPort, String headerName, String headerValue) {
    Path temp = dir.resolve("temp");
    return String.join(
        "\n",
        "daemon off;",
        "worker_processes auto;",
        "pid " + dir.resolve("nginx.pid") + ";",
        "error_log " + dir.resolve("error.log") + " warn;",
        "events { worker_connections 1024; }",
        "http {",
        "  access_log off;",
        "  client_body_temp_path " + temp.resolve("body") + ";",
        "  proxy_temp_path " + temp.resolve("proxy") + ";",
        "  fastcgi_temp_path " + temp.resolve("fastcgi") + ";",
        "  uwsgi_temp_path " + temp.resolve("uwsgi") + ";",
        "  scgi_temp_path " + temp.resolve("scgi") + ";",
        "  keepalive_requests 1000000;",
        "  upstream provider {",
        "    server 127.0.0.1:" + upstreamPort + ";",
        "    keepalive 64;",
        "    keepalive_requests 1000000;",
        "  }",
        "  server {",
        "    listen 127.0.0.1:" + port + ";",
        "    location / {",
        "      proxy_pass http://provider;",
        "      proxy_http_version 1.1;",
        "      proxy_set_header Connection \"\";",
        "      proxy_set_header Host $http_host;",
        "      proxy_set_header " + headerName + " \"" + headerValue + "\";",
        "    }",
        "  }",
        "}",
        "");
  }

  /** {@code http://localhost:PORT}, the app's base URL when it goes through the sidecar. */
  String url(String path) {
    return "http://localhost:" + port + path;
  }

  private void awaitListening() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nginx exited with " + process.exitValue() + ": " + log());
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep();
      }
    }
    throw new IllegalStateException("nginx not listening on 127.0.0.1:" + port + ": " + log());
  }

  private String log() throws IOException {
    Path log = dir.resolve("error.log");
    Path out = dir.resolve("stdout.log");
    return (Files.exists(log) ? Files.readString(log) : "")
        + (Files.exists(out) ? Files.readString(out) : "");
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: nginx's fast shutdown, workers included
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      // the generated config holds the (benchmark-only) credential: do not leave it behind
      Files.deleteIfExists(dir.resolve("nginx.conf"));
    } catch (IOException ignored) {
      // best effort
    }
  }
}
