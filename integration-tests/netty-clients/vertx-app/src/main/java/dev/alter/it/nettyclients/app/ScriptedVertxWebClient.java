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
 * own resolver: the app points it at the JDK hosts file the test gives it.
 */
public final class ScriptedVertxWebClient {
  private final WebClient client;
  private final long idleTimeoutMillis;

  ScriptedVertxWebClient(Vertx vertx, String protocol) {
    // over HTTP/2 a refused tagged request ends only by this timeout, so it stays short there;
    // over HTTP/1.1 it leaves room for a cold resolve on a loaded machine
    idleTimeoutMillis = protocol.equals("H2") ? 5_000 : 30_000;
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
    CommandLoop.create().on("request", line -> app.request(RequestLine.parse(line))).run();
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
      report.error(agentFailureIn(e));
    }
    List<String> observed = new ArrayList<>();
    observed.add("request_after\n" + lines(request.headers()));
    return report.put("observed", observed);
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
