package dev.alter.it.apache;

import dev.alter.it.child.ChildReport;
import dev.alter.it.child.CommandLoop;
import dev.alter.it.child.RequestLine;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.util.Timeout;

/**
 * An ordinary application using Apache HttpClient 5, driven line by line from stdin: {@code request
 * <RequestLine>} sends one request; {@code request-via <origin> <RequestLine>} (classic only) sends
 * it with {@code execute(HttpHost target, request, ...)}, so the connection goes to {@code origin}
 * whatever the request's own authority says; {@code burst <n> <RequestLine>} sends n at once;
 * {@code mixed <n> <k> <RequestLine> ||| <RequestLine>} (async only) starts n calls at once, the
 * k-th (from 0) being the second line, and reports each one's outcome in order. Arguments: {@code
 * classic}, {@code async-http1} or {@code async-http2}.
 *
 * <p>Each report holds what the application can observe: its own request object after the call,
 * {@code HttpClientContext.getRequest()}, the headers a last request interceptor saw on every hop,
 * and the client's own debug log lines (wire, headers, HTTP/2 frames; slf4j-simple writes them to
 * the file named by {@code org.slf4j.simpleLogger.logFile}) written during the call. Only API
 * present from client 5.1 on is used: the same app runs on every supported version.
 */
public final class ScriptedApacheClient {
  private final String mode;
  private final List<List<String>> interceptorSaw = new CopyOnWriteArrayList<>();
  private final Path logFile;
  private CloseableHttpClient classic;
  private CloseableHttpAsyncClient async;

  ScriptedApacheClient(String mode) throws Exception {
    this.mode = mode;
    String log = System.getProperty("org.slf4j.simpleLogger.logFile");
    this.logFile = log == null ? null : Path.of(log);
    HttpRequestInterceptor lastInterceptor =
        (request, entity, context) -> interceptorSaw.add(headerLines(request));
    switch (mode) {
      case "classic":
        classic =
            HttpClients.custom()
                .useSystemProperties()
                .addRequestInterceptorLast(lastInterceptor)
                .build();
        break;
      case "async-http1":
        async =
            HttpAsyncClients.custom()
                .useSystemProperties()
                .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                .addRequestInterceptorLast(lastInterceptor)
                .build();
        async.start();
        break;
      case "async-http2":
        async =
            HttpAsyncClients.customHttp2()
                .useSystemProperties()
                .addRequestInterceptorLast(lastInterceptor)
                .build();
        async.start();
        break;
      default:
        throw new IllegalArgumentException("mode " + mode);
    }
  }

  public static void main(String[] args) throws Exception {
    ScriptedApacheClient app = new ScriptedApacheClient(args[0]);
    ChildReport.create()
        .put("ready", true)
        .put("mode", args[0])
        .put("client_version", HttpClients.class.getPackage().getImplementationVersion())
        .put("java_version", Runtime.version().feature())
        .print();
    CommandLoop.create()
        .on("request", line -> app.request(null, RequestLine.parse(line)))
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
        .on(
            "request-via",
            arguments -> {
              String[] targetAndLine = CommandLoop.firstWordAndRest(arguments);
              return app.request(
                  HttpHost.create(targetAndLine[0]), RequestLine.parse(targetAndLine[1]));
            })
        .run();
    app.close();
  }

  ChildReport request(HttpHost target, RequestLine line) {
    interceptorSaw.clear();
    long logStart = logLength();
    long started = System.nanoTime();
    ChildReport report = ChildReport.create();
    HttpClientContext context = HttpClientContext.create();
    HttpRequest ownRequest = null;
    try {
      RequestConfig config =
          RequestConfig.custom()
              .setRedirectsEnabled(!line.redirects.equals("NEVER"))
              .setResponseTimeout(Timeout.ofSeconds(20))
              .build();
      if (classic != null) {
        HttpUriRequestBase request = new HttpUriRequestBase(line.method, URI.create(line.url));
        ownRequest = request;
        addHeaders(request, line);
        if (line.body != null) {
          request.setEntity(
              new ByteArrayEntity(line.body.getBytes(StandardCharsets.UTF_8), contentType(line)));
        }
        request.setConfig(config);
        String[] outcome = new String[3];
        classic.execute(
            target,
            request,
            context,
            response -> {
              outcome[0] = String.valueOf(response.getCode());
              outcome[1] = String.valueOf(response.getVersion());
              outcome[2] =
                  response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
              return null;
            });
        report
            .put("status", Integer.parseInt(outcome[0]))
            .put("protocol", outcome[1])
            .put("body", outcome[2]);
      } else {
        if (target != null) {
          throw new UnsupportedOperationException("request-via is a classic-client command");
        }
        SimpleHttpRequest request = new SimpleHttpRequest(line.method, URI.create(line.url));
        ownRequest = request;
        addHeaders(request, line);
        if (line.body != null) {
          request.setBody(line.body.getBytes(StandardCharsets.UTF_8), contentType(line));
        }
        request.setConfig(config);
        SimpleHttpResponse response =
            async.execute(request, context, null).get(30, TimeUnit.SECONDS);
        report
            .put("status", response.getCode())
            .put("protocol", String.valueOf(response.getVersion()))
            .put("body", response.getBodyText());
      }
    } catch (Exception e) {
      report.error(e);
    }
    report.put("request_headers", ownRequest == null ? null : headerLines(ownRequest));
    report.put(
        "context_request_headers",
        context.getRequest() == null ? null : headerLines(context.getRequest()));
    report.put("interceptor_saw", new ArrayList<>(interceptorSaw));
    report.put("elapsed_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return report.put("log", logSince(logStart));
  }

  /** n copies of one request at once (threads for classic, futures for async): counts outcomes. */
  ChildReport burst(int count, RequestLine line) throws Exception {
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(count);
    try {
      List<java.util.concurrent.Future<ChildReport>> outcomes = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        outcomes.add(threads.submit(() -> request(null, line)));
      }
      int ok = 0;
      java.util.Map<String, Integer> failures = new java.util.LinkedHashMap<>();
      for (java.util.concurrent.Future<ChildReport> outcome : outcomes) {
        String json = outcome.get(120, TimeUnit.SECONDS).toJson();
        if (json.contains("\"status\":200") && !json.contains("\"error\"")) {
          ok++;
        } else {
          failures.merge(json.length() > 300 ? json.substring(0, 300) : json, 1, Integer::sum);
        }
      }
      return ChildReport.create().put("ok", ok).put("failures", failures);
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * n async calls started at once (async only), the k-th (from 0) being {@code odd}: each one's
   * outcome in order, as its {@code Future} and its {@code FutureCallback} saw it.
   */
  ChildReport mixed(int count, int oddIndex, RequestLine usual, RequestLine odd) throws Exception {
    List<java.util.concurrent.Future<SimpleHttpResponse>> futures = new ArrayList<>();
    List<java.util.concurrent.CompletableFuture<Object>> callbacks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      RequestLine line = i == oddIndex ? odd : usual;
      SimpleHttpRequest request = new SimpleHttpRequest(line.method, URI.create(line.url));
      addHeaders(request, line);
      request.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(20)).build());
      java.util.concurrent.CompletableFuture<Object> callback =
          new java.util.concurrent.CompletableFuture<>();
      callbacks.add(callback);
      futures.add(
          async.execute(
              request,
              new FutureCallback<SimpleHttpResponse>() {
                @Override
                public void completed(SimpleHttpResponse response) {
                  callback.complete(response.getCode());
                }

                @Override
                public void failed(Exception ex) {
                  callback.complete(ex);
                }

                @Override
                public void cancelled() {
                  callback.complete("cancelled");
                }
              }));
    }
    List<Object> outcomes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ChildReport outcome = ChildReport.create();
      try {
        SimpleHttpResponse response = futures.get(i).get(60, TimeUnit.SECONDS);
        outcome
            .put("status", response.getCode())
            .put("protocol", String.valueOf(response.getVersion()));
      } catch (Exception e) {
        outcome.error(e);
      }
      Object seen = callbacks.get(i).get(60, TimeUnit.SECONDS);
      outcome.put(
          "callback",
          seen instanceof Exception ? ChildReport.create().error((Exception) seen) : seen);
      outcomes.add(outcome);
    }
    return ChildReport.create().put("outcomes", outcomes);
  }

  private static void addHeaders(HttpRequest request, RequestLine line) {
    for (String[] header : line.headers) {
      request.addHeader(header[0], header[1]);
    }
  }

  private static ContentType contentType(RequestLine line) {
    for (String[] header : line.headers) {
      if (header[0].equalsIgnoreCase("Content-Type")) {
        return ContentType.parse(header[1]);
      }
    }
    return ContentType.APPLICATION_OCTET_STREAM;
  }

  static List<String> headerLines(HttpRequest request) {
    List<String> lines = new ArrayList<>();
    for (Header header : request.getHeaders()) {
      lines.add(header.getName() + ": " + header.getValue());
    }
    return lines;
  }

  private long logLength() {
    try {
      return logFile == null || !Files.exists(logFile) ? 0 : Files.size(logFile);
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  /**
   * The client's log lines written since {@code start} (async loggers run on I/O threads: wait
   * briefly).
   */
  private String logSince(long start) {
    if (logFile == null) {
      return null;
    }
    try {
      Thread.sleep(100);
      if (!Files.exists(logFile)) {
        return "";
      }
      try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
        long end = file.length();
        byte[] bytes = new byte[(int) Math.max(0, end - start)];
        file.seek(start);
        file.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
      }
    } catch (Exception e) {
      return "log unreadable: " + e;
    }
  }

  private void close() throws Exception {
    if (classic != null) {
      classic.close();
    }
    if (async != null) {
      async.close();
    }
  }
}
