package dev.alter.it.nettyclients.app;

import dev.alter.it.child.ChildReport;
import dev.alter.it.child.CommandLoop;
import dev.alter.it.child.RequestLine;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An ordinary Vert.x web client application driven from stdin ({@code request <RequestLine>}), over
 * HTTP/1.1 ({@code HTTP11}) or HTTP/2 by ALPN ({@code H2}). It reports the status and body, or the
 * failure, and the headers of its own request object after the call. Vert.x resolves names with its
 * own resolver: the app points it at the JDK hosts file the test gives it. {@code burst} sends
 * tagged requests at once and times untagged ones meanwhile.
 */
public final class ScriptedVertxWebClient {
  private final WebClient client;
  private final long idleTimeoutMillis;

  ScriptedVertxWebClient(Vertx vertx, String protocol) {
    // room for a cold resolve on a loaded machine (a refusal ends the call at once, also over
    // HTTP/2, where the agent fails the refused stream)
    idleTimeoutMillis = 30_000;
    WebClientOptions options =
        new WebClientOptions().setFollowRedirects(true).setConnectTimeout(10_000);
    if (protocol.equals("H2")) {
      options.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true);
    }
    client = WebClient.create(vertx, options);
  }

  public static void main(String[] args) throws Exception {
    AddressResolverOptions names = new AddressResolverOptions();
    String hosts = System.getProperty("jdk.net.hosts.file");
    if (hosts != null) {
      names.setHostsPath(hosts);
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setAddressResolverOptions(names));
    ScriptedVertxWebClient app = new ScriptedVertxWebClient(vertx, args[0]);
    ChildReport.create()
        .put("ready", true)
        .put("java_version", Runtime.version().feature())
        .put("protocol", args[0])
        .put("client_jar", jarName(Vertx.class))
        .put(
            "netty_version",
            io.netty.util.Version.identify().get("netty-codec-http").artifactVersion())
        .print();
    CommandLoop.create()
        .on("request", line -> app.request(RequestLine.parse(line)))
        .on("burst", app::burst)
        .run();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  ChildReport request(RequestLine line) {
    // a bounded wait for the response, as production apps set
    HttpRequest<Buffer> request =
        client.requestAbs(HttpMethod.valueOf(line.method), line.url).idleTimeout(idleTimeoutMillis);
    for (String[] header : line.headers) {
      request.putHeader(header[0], header[1]);
    }
    ChildReport report = ChildReport.create();
    try {
      HttpResponse<Buffer> response =
          (line.body == null ? request.send() : request.sendBuffer(Buffer.buffer(line.body)))
              .toCompletionStage()
              .toCompletableFuture()
              .get(40, TimeUnit.SECONDS);
      report.put("status", response.statusCode()).put("body", response.bodyAsString());
    } catch (Exception e) {
      report.error(agentFailureIn(e)).put("thrown_chain", chain(e));
    }
    List<String> observed = new ArrayList<>();
    observed.add("request_after\n" + lines(request.headers()));
    return report.put("observed", observed);
  }

  /**
   * {@code burst <tagged url> <untagged url> <grant> <grant> …}: one tagged GET per grant at once,
   * while untagged GETs run one after another; reports how many tagged requests succeeded and the
   * untagged latencies meanwhile.
   */
  ChildReport burst(String arguments) throws Exception {
    String[] words = arguments.split(" ");
    List<java.util.concurrent.CompletableFuture<HttpResponse<Buffer>>> tagged = new ArrayList<>();
    for (int i = 2; i < words.length; i++) {
      tagged.add(
          client
              .getAbs(words[0])
              .putHeader("alter-grant", words[i])
              .send()
              .toCompletionStage()
              .toCompletableFuture());
    }
    java.util.concurrent.CompletableFuture<Void> all =
        java.util.concurrent.CompletableFuture.allOf(
            tagged.toArray(new java.util.concurrent.CompletableFuture<?>[0]));
    List<Long> untaggedMillis = new ArrayList<>();
    while (!all.isDone()) {
      long sent = System.nanoTime();
      HttpResponse<Buffer> response =
          client
              .getAbs(words[1])
              .send()
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      if (response.statusCode() == 200) {
        untaggedMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
      }
    }
    long ok = 0;
    for (java.util.concurrent.CompletableFuture<HttpResponse<Buffer>> call : tagged) {
      try {
        if (call.get(60, TimeUnit.SECONDS).statusCode() == 200) {
          ok++;
        }
      } catch (Exception e) {
        // counted as not ok
      }
    }
    return ChildReport.create()
        .put("tagged_ok", ok)
        .put("tagged_total", tagged.size())
        .put("untagged_ms", untaggedMillis);
  }

  /** The class names of the failure as thrown and of its causes, outermost first. */
  static List<String> chain(Throwable error) {
    List<String> classes = new ArrayList<>();
    for (Throwable t = error; t != null && classes.size() < 8; t = t.getCause()) {
      classes.add(t.getClass().getName());
    }
    return classes;
  }

  static Throwable agentFailureIn(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getClass().getName().endsWith("AlterCredentialException")) {
        return t;
      }
    }
    return error;
  }

  private static String lines(MultiMap headers) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> header : headers) {
      sb.append(header.getKey()).append(": ").append(header.getValue()).append('\n');
    }
    return sb.toString();
  }

  /** The file name of the jar a class came from: the version the app really runs. */
  static String jarName(Class<?> type) {
    String location = type.getProtectionDomain().getCodeSource().getLocation().getPath();
    return location.substring(location.lastIndexOf('/') + 1);
  }
}
