package dev.alter.it.nettyclients.app;

import dev.alter.it.child.ChildReport;
import dev.alter.it.child.CommandLoop;
import dev.alter.it.child.RequestLine;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.asynchttpclient.AsyncHttpClient;
import org.asynchttpclient.Dsl;
import org.asynchttpclient.Request;
import org.asynchttpclient.RequestBuilder;
import org.asynchttpclient.Response;
import org.asynchttpclient.filter.FilterContext;
import org.asynchttpclient.filter.RequestFilter;

/**
 * An ordinary AsyncHttpClient 3 application, over HTTP/1.1 ({@code HTTP11}) or its default HTTP/2
 * by ALPN ({@code H2}), driven from stdin ({@code request <RequestLine>}): it reports the status
 * and body, or the failure, and the headers of its own {@code Request} object after the call, as a
 * request filter saw them before it. {@code burst} sends tagged requests at once and times untagged
 * ones meanwhile.
 */
public final class ScriptedAsyncHttpClient {
  private final List<String> observed = new ArrayList<>();
  private final AsyncHttpClient client;

  /** {@code HTTP11}: HTTP/2 off; {@code H2}: AsyncHttpClient's default, HTTP/2 by ALPN. */
  ScriptedAsyncHttpClient(String protocol) {
    client =
        Dsl.asyncHttpClient(
            Dsl.config()
                .setHttp2Enabled(protocol.equals("H2"))
                .setFollowRedirect(true)
                .setRequestTimeout(java.time.Duration.ofSeconds(30))
                .addRequestFilter(
                    new RequestFilter() {
                      @Override
                      public <T> FilterContext<T> filter(FilterContext<T> context) {
                        observed.add("request_filter\n" + lines(context.getRequest().getHeaders()));
                        return context;
                      }
                    }));
  }

  public static void main(String[] args) throws Exception {
    ScriptedAsyncHttpClient app = new ScriptedAsyncHttpClient(args[0]);
    ChildReport.create()
        .put("ready", true)
        .put("java_version", Runtime.version().feature())
        .put("client_jar", jarName(AsyncHttpClient.class))
        .put(
            "netty_version",
            io.netty.util.Version.identify().get("netty-codec-http").artifactVersion())
        .print();
    CommandLoop.create()
        .on("request", line -> app.request(RequestLine.parse(line)))
        .on("burst", app::burst)
        .run();
    app.client.close();
  }

  ChildReport request(RequestLine line) {
    observed.clear();
    RequestBuilder builder = new RequestBuilder(line.method).setUrl(line.url);
    for (String[] header : line.headers) {
      builder.addHeader(header[0], header[1]);
    }
    if (line.body != null) {
      builder.setBody(line.body);
    }
    Request request = builder.build();
    ChildReport report = ChildReport.create();
    try {
      Response response = client.executeRequest(request).get(40, TimeUnit.SECONDS);
      report.put("status", response.getStatusCode()).put("body", response.getResponseBody());
    } catch (Exception e) {
      report.error(agentFailureIn(e)).put("thrown_chain", chain(e));
    }
    observed.add("request_after\n" + lines(request.getHeaders()));
    return report.put("observed", new ArrayList<>(observed));
  }

  /**
   * {@code burst <tagged url> <untagged url> <grant> <grant> …}: one tagged GET per grant at once,
   * while untagged GETs run one after another; reports how many tagged requests succeeded and the
   * untagged latencies meanwhile.
   */
  ChildReport burst(String arguments) throws Exception {
    String[] words = arguments.split(" ");
    List<java.util.concurrent.CompletableFuture<Response>> tagged = new ArrayList<>();
    for (int i = 2; i < words.length; i++) {
      tagged.add(
          client
              .executeRequest(
                  new RequestBuilder("GET").setUrl(words[0]).addHeader("alter-grant", words[i]))
              .toCompletableFuture());
    }
    java.util.concurrent.CompletableFuture<Void> all =
        java.util.concurrent.CompletableFuture.allOf(
            tagged.toArray(new java.util.concurrent.CompletableFuture<?>[0]));
    List<Long> untaggedMillis = new ArrayList<>();
    while (!all.isDone()) {
      long sent = System.nanoTime();
      Response response = client.prepareGet(words[1]).execute().get(30, TimeUnit.SECONDS);
      if (response.getStatusCode() == 200) {
        untaggedMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
      }
    }
    long ok = 0;
    for (java.util.concurrent.CompletableFuture<Response> call : tagged) {
      try {
        if (call.get(60, TimeUnit.SECONDS).getStatusCode() == 200) {
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

  /** The agent's exception where the client wrapped it, else the failure as thrown. */
  static Throwable agentFailureIn(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getClass().getName().endsWith("AlterCredentialException")) {
        return t;
      }
    }
    return error;
  }

  private static String lines(HttpHeaders headers) {
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
