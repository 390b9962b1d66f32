package dev.alter.it.apache4;

import dev.alter.it.child.ChildReport;
import dev.alter.it.child.CommandLoop;
import dev.alter.it.child.RequestLine;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.http.Header;
import org.apache.http.HttpRequest;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpEntityEnclosingRequestBase;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.client.methods.RequestBuilder;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.util.EntityUtils;
import org.apache.http.util.VersionInfo;

/**
 * An ordinary application using Apache HttpClient 4.5 (classic, the builder's pooling connection
 * manager, the JVM's trust store through {@code useSystemProperties()}), driven line by line from
 * stdin: {@code request <RequestLine>} sends one request. Redirects {@code NEVER} uses a client
 * with redirect handling disabled; otherwise the client follows them itself.
 *
 * <p>The report is what the application can observe: the headers its last request interceptor saw,
 * {@code HttpClientContext.getRequest()} and the request object it built. The client's {@code
 * org.apache.http.headers} and {@code org.apache.http.wire} logs go to stderr through
 * commons-logging's java.util.logging binding at FINE. Tests check the credential is in none of it,
 * and that the wire log shows it masked.
 */
public final class ScriptedApache4Client {
  private final List<String> interceptorSaw = new ArrayList<>();
  private final CloseableHttpClient following;
  private final CloseableHttpClient notFollowing;

  ScriptedApache4Client() {
    following = builder().build();
    notFollowing = builder().disableRedirectHandling().build();
  }

  private HttpClientBuilder builder() {
    return HttpClientBuilder.create()
        .useSystemProperties()
        .setDefaultRequestConfig(
            RequestConfig.custom().setConnectTimeout(10_000).setSocketTimeout(20_000).build())
        .addInterceptorLast(
            (HttpRequest request, org.apache.http.protocol.HttpContext context) -> {
              synchronized (interceptorSaw) {
                for (Header header : request.getAllHeaders()) {
                  interceptorSaw.add(header.toString());
                }
              }
            });
  }

  /** java.util.logging holds loggers weakly: a configured one must be kept, or GC undoes it. */
  private static final java.util.List<Logger> CONFIGURED_LOGGERS = new java.util.ArrayList<>();

  public static void main(String[] args) throws Exception {
    for (String name : new String[] {"org.apache.http.headers", "org.apache.http.wire"}) {
      Logger logger = Logger.getLogger(name);
      CONFIGURED_LOGGERS.add(logger);
      ConsoleHandler handler = new ConsoleHandler();
      handler.setLevel(Level.ALL);
      logger.addHandler(handler);
      logger.setLevel(Level.ALL);
    }
    ScriptedApache4Client app = new ScriptedApache4Client();
    VersionInfo version =
        VersionInfo.loadVersionInfo(
            "org.apache.http.client", ScriptedApache4Client.class.getClassLoader());
    ChildReport.create()
        .put("ready", true)
        .put("java_version", Runtime.version().feature())
        .put("client_version", version == null ? "unknown" : version.getRelease())
        .print();
    CommandLoop.create().on("request", line -> app.request(RequestLine.parse(line))).run();
  }

  ChildReport request(RequestLine line) {
    long started = System.nanoTime();
    ChildReport report = ChildReport.create();
    synchronized (interceptorSaw) {
      interceptorSaw.clear();
    }
    HttpClientContext context = HttpClientContext.create();
    HttpUriRequest request = null;
    try {
      RequestBuilder builder = RequestBuilder.create(line.method).setUri(URI.create(line.url));
      for (String[] header : line.headers) {
        builder.addHeader(header[0], header[1]);
      }
      if (line.body != null) {
        builder.setEntity(new StringEntity(line.body, StandardCharsets.UTF_8));
      }
      request = builder.build();
      CloseableHttpClient client = "NEVER".equals(line.redirects) ? notFollowing : following;
      try (CloseableHttpResponse response = client.execute(request, context)) {
        report
            .put("status", response.getStatusLine().getStatusCode())
            .put(
                "body",
                response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity()));
      }
      report.put(
          "redirect_locations",
          context.getRedirectLocations() == null ? List.of() : context.getRedirectLocations());
    } catch (Exception e) {
      report.error(e);
    }
    synchronized (interceptorSaw) {
      report.put("interceptor_headers", new ArrayList<>(interceptorSaw));
    }
    report.put(
        "context_request_headers",
        context.getRequest() == null
            ? List.of()
            : headerLines(context.getRequest().getAllHeaders()));
    report.put(
        "app_request_headers", request == null ? List.of() : headerLines(request.getAllHeaders()));
    if (request instanceof HttpEntityEnclosingRequestBase) {
      report.put(
          "app_request_has_entity", ((HttpEntityEnclosingRequestBase) request).getEntity() != null);
    }
    return report.put("elapsed_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private static List<String> headerLines(Header[] headers) {
    List<String> lines = new ArrayList<>();
    for (Header header : headers) {
      lines.add(header.getName() + ": " + header.getValue());
    }
    return lines;
  }
}
