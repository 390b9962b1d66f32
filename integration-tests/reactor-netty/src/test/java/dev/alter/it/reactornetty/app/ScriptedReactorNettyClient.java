package dev.alter.it.reactornetty.app;

import dev.alter.it.child.ChildReport;
import dev.alter.it.child.CommandLoop;
import dev.alter.it.child.RequestLine;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.logging.LogLevel;
import io.netty.handler.logging.LoggingHandler;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.netty.transport.ProxyProvider;
import reactor.netty.transport.logging.AdvancedByteBufFormat;

/**
 * An ordinary Reactor Netty application, driven line by line from stdin ({@code request
 * <RequestLine>}, or {@code request-sent-as-webclient <RequestLine>} for a bodiless request sent as
 * WebClient sends it), that reports what it can observe of each call through Reactor Netty's public
 * API: the request headers in {@code doOnRequest} and {@code doAfterRequest}, the request headers
 * and redirect chain the response holds. Every byte on the wire is also logged, as text, by {@code
 * wiretap} and by a Netty {@code LoggingHandler} the app puts first in each connection's pipeline
 * (both to stderr, through java.util.logging). Tests check the credential is in none of it.
 *
 * <p>Arguments: {@code HTTP11} or {@code H2} (HTTP/2 over TLS via ALPN, HTTP/1.1 for plain http).
 * The {@code burst} command sends many requests at once on a 2-thread event loop, timing untagged
 * requests sent meanwhile.
 */
public final class ScriptedReactorNettyClient {
  private final HttpProtocol[] protocols;
  private final List<String> observed = new CopyOnWriteArrayList<>();
  private final HttpClient base;

  /** The same loop and pool without the observers: a burst would spend the loop on logging. */
  private final HttpClient bare;

  ScriptedReactorNettyClient(String protocol, LoopResources loop, ConnectionProvider pool) {
    this.protocols = protocols(protocol);
    this.bare =
        HttpClient.create(
                // 50 connections a host, the rest queued: a burst measures the loop, not a storm
                // of TLS handshakes
                ConnectionProvider.builder("burst-pool")
                    .maxConnections(50)
                    .pendingAcquireMaxCount(-1)
                    .pendingAcquireTimeout(Duration.ofSeconds(120))
                    .build())
            .runOn(loop)
            .resolver(DefaultAddressResolverGroup.INSTANCE)
            .responseTimeout(Duration.ofSeconds(60));
    this.base =
        HttpClient.create(pool)
            .runOn(loop)
            .protocol(protocols)
            // a connection per call: the recording server spells header names of a connection's
            // first request its own way, and the contract compares two apps byte for byte
            .keepAlive(false)
            // the JDK's resolver, so the test's hosts file applies
            .resolver(DefaultAddressResolverGroup.INSTANCE)
            .responseTimeout(Duration.ofSeconds(30))
            .wiretap("dev.alter.it.wire", LogLevel.INFO, AdvancedByteBufFormat.TEXTUAL)
            .doOnConnected(
                connection -> {
                  // pooled connections are handed out again: one logger per connection
                  if (connection.channel().pipeline().get("app-logging") == null) {
                    connection
                        .channel()
                        .pipeline()
                        .addFirst(
                            "app-logging", new LoggingHandler("dev.alter.it.netty", LogLevel.INFO));
                  }
                })
            .doOnRequest(
                (request, connection) ->
                    observed.add(
                        "do_on_request " + request.uri() + "\n" + lines(request.requestHeaders())))
            .doAfterRequest(
                (request, connection) ->
                    observed.add(
                        "do_after_request "
                            + request.uri()
                            + "\n"
                            + lines(request.requestHeaders())));
  }

  /**
   * {@code H2}: HTTP/2 by ALPN over TLS, HTTP/1.1 for plain http; {@code H2C}: HTTP/2 over
   * cleartext with prior knowledge; {@code H2C_UPGRADE}: HTTP/1.1 with an {@code Upgrade: h2c}
   * offer; anything else HTTP/1.1.
   */
  private static HttpProtocol[] protocols(String protocol) {
    switch (protocol) {
      case "H2":
        return new HttpProtocol[] {HttpProtocol.H2, HttpProtocol.HTTP11};
      case "H2C":
        return new HttpProtocol[] {HttpProtocol.H2C};
      case "H2C_UPGRADE":
        return new HttpProtocol[] {HttpProtocol.HTTP11, HttpProtocol.H2C};
      default:
        return new HttpProtocol[] {HttpProtocol.HTTP11};
    }
  }

  public static void main(String[] args) throws Exception {
    LoopResources loop = LoopResources.create("app-loop", 2, true);
    ConnectionProvider pool = ConnectionProvider.builder("app-pool").maxConnections(500).build();
    ScriptedReactorNettyClient app = new ScriptedReactorNettyClient(args[0], loop, pool);
    ChildReport.create()
        .put("ready", true)
        .put("protocol", args[0])
        .put("reactor_netty_version", version(HttpClient.class))
        .put("netty_version", version(io.netty.channel.Channel.class))
        .put("java_version", Runtime.version().feature())
        .print();
    CommandLoop.create()
        .on("request", line -> app.request(RequestLine.parse(line)))
        .on(
            "request-sent-as-webclient",
            line -> app.requestSentAsWebClient(RequestLine.parse(line)))
        .on("burst", app::burst)
        .on(
            "proxied",
            arguments -> {
              String[] portAndLine = CommandLoop.firstWordAndRest(arguments);
              return app.proxied(
                  Integer.parseInt(portAndLine[0]), RequestLine.parse(portAndLine[1]));
            })
        .run();
    pool.disposeLater().block(Duration.ofSeconds(5));
    loop.disposeLater().block(Duration.ofSeconds(5));
    System.exit(0);
  }

  static String version(Class<?> type) {
    String version = type.getPackage().getImplementationVersion();
    return version == null ? "unknown" : version;
  }

  private static String lines(HttpHeaders headers) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> header : headers) {
      text.append(header.getKey()).append(": ").append(header.getValue()).append('\n');
    }
    return text.toString();
  }

  private HttpClient client(RequestLine line) {
    return base.followRedirect(!line.redirects.equals("NEVER"))
        .headers(
            headers -> {
              for (String[] header : line.headers) {
                headers.add(header[0], header[1]);
              }
            });
  }

  private Mono<Object[]> exchange(HttpClient client, RequestLine line) {
    HttpClient.RequestSender sender = client.request(HttpMethod.valueOf(line.method)).uri(line.url);
    HttpClient.ResponseReceiver<?> receiver =
        line.body == null ? sender : sender.send(ByteBufFlux.fromString(Mono.just(line.body)));
    return receiver.responseSingle(
        (response, content) ->
            content.asString().defaultIfEmpty("").map(body -> new Object[] {response, body}));
  }

  ChildReport request(RequestLine line) {
    return request(client(line), line);
  }

  /**
   * A bodiless request sent the way Spring's WebClient and {@code ReactorClientHttpRequestFactory}
   * send one: the send function's publisher completes empty, and Reactor Netty writes the request
   * itself when it does, without watching that write.
   */
  ChildReport requestSentAsWebClient(RequestLine line) {
    observed.clear();
    long started = System.nanoTime();
    ChildReport report = ChildReport.create();
    try {
      HttpClientResponse response =
          client(line)
              .request(HttpMethod.valueOf(line.method))
              .uri(line.url)
              .send((request, outbound) -> Mono.empty())
              .response()
              .block(Duration.ofSeconds(40));
      report.put("status", response.status().code());
    } catch (RuntimeException e) {
      reportError(report, e);
    }
    return report.put("elapsed_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** The request through an HTTP proxy on loopback (a CONNECT tunnel). */
  ChildReport proxied(int proxyPort, RequestLine line) {
    return request(
        client(line)
            .proxy(proxy -> proxy.type(ProxyProvider.Proxy.HTTP).host("127.0.0.1").port(proxyPort)),
        line);
  }

  private ChildReport request(HttpClient client, RequestLine line) {
    observed.clear();
    long started = System.nanoTime();
    ChildReport report = ChildReport.create();
    try {
      Object[] answer = exchange(client, line).block(Duration.ofSeconds(40));
      HttpClientResponse response = (HttpClientResponse) answer[0];
      report
          .put("status", response.status().code())
          .put("protocol", response.version().text())
          .put("body", answer[1])
          .put("response_request", response.uri() + "\n" + lines(response.requestHeaders()))
          .put("redirected_from", Arrays.asList(response.redirectedFrom()));
    } catch (RuntimeException e) {
      reportError(report, e);
    }
    return report
        .put("observed", new ArrayList<>(observed))
        .put("elapsed_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /**
   * The agent's refusal where it is in the error signal's cause chain (WebClient and Reactor wrap
   * it), with the class of the signal itself.
   */
  static void reportError(ChildReport report, Throwable signal) {
    Throwable error = Exceptions.unwrap(signal);
    Throwable refusal = error;
    while (refusal != null
        && !refusal
            .getClass()
            .getName()
            .equals("dev.alter.agent.bootstrap.AlterCredentialException")) {
      refusal = refusal.getCause();
    }
    report.error(refusal != null ? refusal : error).put("signal_class", error.getClass().getName());
  }

  /**
   * {@code burst <tagged url> <untagged url> <count> <grant> <grant> …}: {@code count} tagged GETs
   * at once, spread over the grants, while untagged GETs run one after another on the same loop;
   * reports how many tagged requests succeeded and the untagged latencies meanwhile.
   */
  ChildReport burst(String arguments) {
    String[] words = arguments.split(" ");
    String taggedUrl = words[0];
    String untaggedUrl = words[1];
    int count = Integer.parseInt(words[2]);
    List<String> grants = Arrays.asList(words).subList(3, words.length);
    long started = System.nanoTime();
    List<Mono<Integer>> tagged = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String grant = grants.get(i % grants.size());
      tagged.add(
          bare.headers(h -> h.add("alter-grant", grant))
              .get()
              .uri(taggedUrl)
              .responseSingle((response, body) -> Mono.just(response.status().code()))
              .onErrorResume(e -> Mono.just(-1)));
    }
    List<Long> untaggedMillis = new CopyOnWriteArrayList<>();
    Mono<List<Integer>> all = Flux.merge(tagged).collectList().cache();
    all.subscribe();
    while (!all.toFuture().isDone()) {
      long sent = System.nanoTime();
      Integer status =
          bare.get()
              .uri(untaggedUrl)
              .responseSingle((response, body) -> Mono.just(response.status().code()))
              .block(Duration.ofSeconds(30));
      if (status != null && status == 200) {
        untaggedMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
      }
    }
    List<Integer> statuses = all.block(Duration.ofSeconds(120));
    long ok = statuses.stream().filter(s -> s == 200).count();
    return ChildReport.create()
        .put("tagged_ok", ok)
        .put("tagged_total", statuses.size())
        .put("untagged_ms", untaggedMillis)
        .put("elapsed_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }
}
