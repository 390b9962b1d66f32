package dev.alter.it.child;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An ordinary application using {@code java.net.http.HttpClient}, driven line by line from stdin:
 * {@code request <RequestLine>} sends one request and reports everything the app can see of it;
 * {@code burst <n> <RequestLine>} sends n requests at once; {@code mixed <n> <k> <RequestLine> |||
 * <RequestLine>} sends n at once, the k-th (from 0) being the second line, and reports each one's
 * status or error in order. Arguments: {@code send} or {@code async}, then {@code HTTP_1_1} or
 * {@code HTTP_2}.
 *
 * <p>The report is what the application can observe through the client's public API: {@code
 * HttpResponse.request()} and the {@code previousResponse()} chain. Tests check that the credential
 * is in none of it.
 */
public final class ScriptedJdkClient {
  private final boolean async;
  private final HttpClient.Version version;
  private final Map<HttpClient.Redirect, HttpClient> clients =
      new EnumMap<>(HttpClient.Redirect.class);

  ScriptedJdkClient(boolean async, HttpClient.Version version) {
    this.async = async;
    this.version = version;
  }

  public static void main(String[] args) throws Exception {
    ScriptedJdkClient app =
        new ScriptedJdkClient(args[0].equals("async"), HttpClient.Version.valueOf(args[1]));
    ChildReport.create()
        .put("ready", true)
        .put("mode", args[0])
        .put("version", args[1])
        .put("java_version", Runtime.version().feature())
        .print();
    CommandLoop.create()
        .on("request", line -> app.request(RequestLine.parse(line)))
        .on(
            "burst",
            arguments -> {
              String[] countAndLine = CommandLoop.firstWordAndRest(arguments);
              return app.burst(
                  Integer.parseInt(countAndLine[0]), RequestLine.parse(countAndLine[1]));
            })
        .on(
            "mixed",
            arguments -> {
              String[] count = CommandLoop.firstWordAndRest(arguments);
              String[] odd = CommandLoop.firstWordAndRest(count[1]);
              String[] lines = odd[1].split(" \\|\\|\\| ", 2);
              return app.mixed(
                  Integer.parseInt(count[0]),
                  Integer.parseInt(odd[0]),
                  RequestLine.parse(lines[0]),
                  RequestLine.parse(lines[1]));
            })
        .run();
  }

  private HttpClient client(String redirects) {
    HttpClient.Redirect policy = HttpClient.Redirect.valueOf(redirects);
    return clients.computeIfAbsent(
        policy,
        p ->
            HttpClient.newBuilder()
                .version(version)
                .followRedirects(p)
                .connectTimeout(Duration.ofSeconds(30))
                .build());
  }

  private HttpRequest build(RequestLine line) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(line.url))
            .timeout(Duration.ofSeconds(60))
            .method(
                line.method,
                line.body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(line.body));
    for (String[] header : line.headers) {
      builder.header(header[0], header[1]);
    }
    return builder.build();
  }

  ChildReport request(RequestLine line) {
    long started = System.nanoTime();
    ChildReport report = ChildReport.create();
    try {
      HttpRequest request = build(line);
      HttpClient client = client(line.redirects);
      HttpResponse<String> response =
          async
              ? client
                  .sendAsync(request, HttpResponse.BodyHandlers.ofString())
                  .get(60, TimeUnit.SECONDS)
              : client.send(request, HttpResponse.BodyHandlers.ofString());
      report
          .put("status", response.statusCode())
          .put("protocol", response.version().name())
          .put("body", response.body())
          .put("request_uri", response.request().uri().toString())
          .put("request_headers", ChildReport.headerLines(response.request().headers().map()))
          .put("response_headers", ChildReport.headerLines(response.headers().map()))
          .put("previous", previousChain(response));
    } catch (Exception e) {
      report.error(e);
    }
    return report.put("elapsed_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private static List<Map<String, Object>> previousChain(HttpResponse<?> response) {
    List<Map<String, Object>> chain = new ArrayList<>();
    Optional<HttpResponse<String>> previous = castPrevious(response);
    while (previous.isPresent()) {
      HttpResponse<String> p = previous.get();
      Map<String, Object> hop = new LinkedHashMap<>();
      hop.put("status", p.statusCode());
      hop.put("request_uri", p.request().uri().toString());
      hop.put("request_headers", ChildReport.headerLines(p.request().headers().map()));
      hop.put("response_headers", ChildReport.headerLines(p.headers().map()));
      chain.add(hop);
      previous = castPrevious(p);
    }
    return chain;
  }

  @SuppressWarnings("unchecked")
  private static Optional<HttpResponse<String>> castPrevious(HttpResponse<?> response) {
    return response.previousResponse().map(r -> (HttpResponse<String>) r);
  }

  /** n requests at once (all through sendAsync, whatever the mode): counts outcomes. */
  ChildReport burst(int count, RequestLine line) throws Exception {
    HttpClient client = client(line.redirects);
    List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < count; i++) {
      futures.add(client.sendAsync(build(line), HttpResponse.BodyHandlers.ofString()));
    }
    int ok = 0;
    Map<String, Integer> failures = new LinkedHashMap<>();
    for (CompletableFuture<HttpResponse<String>> future : futures) {
      try {
        HttpResponse<String> response = future.get(120, TimeUnit.SECONDS);
        if (response.statusCode() == 200) {
          ok++;
        } else {
          failures.merge("status_" + response.statusCode(), 1, Integer::sum);
        }
      } catch (Exception e) {
        ChildReport err = ChildReport.create().error(e);
        failures.merge(String.valueOf(err.toJson()), 1, Integer::sum);
      }
    }
    return ChildReport.create()
        .put("ok", ok)
        .put("failures", failures)
        .put("elapsed_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** n requests at once through sendAsync, the odd one at index k: each outcome in order. */
  ChildReport mixed(int count, int oddIndex, RequestLine usual, RequestLine odd) throws Exception {
    HttpClient client = client(usual.redirects);
    List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(
          client.sendAsync(
              build(i == oddIndex ? odd : usual), HttpResponse.BodyHandlers.ofString()));
    }
    List<Object> outcomes = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> future : futures) {
      ChildReport outcome = ChildReport.create();
      try {
        HttpResponse<String> response = future.get(120, TimeUnit.SECONDS);
        outcome.put("status", response.statusCode()).put("protocol", response.version().name());
      } catch (Exception e) {
        outcome.error(e);
      }
      outcomes.add(outcome);
    }
    return ChildReport.create().put("outcomes", outcomes);
  }
}
