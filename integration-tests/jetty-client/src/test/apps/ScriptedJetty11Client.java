import dev.alter.it.child.ChildReport;
import dev.alter.it.child.CommandLoop;
import dev.alter.it.child.RequestLine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.api.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.util.StringRequestContent;
import org.eclipse.jetty.client.http.HttpClientConnectionFactory;
import org.eclipse.jetty.client.dynamic.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.http.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Jetty;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * An ordinary Jetty 11 HttpClient application, driven line by line from stdin ({@code request
 * <RequestLine>}), that reports what it can observe of each call through Jetty's public API: the
 * request headers its request listeners see when the headers are ready, committed and sent, and
 * the request the response holds (the last hop's, after redirects). Launched in source-file mode
 * against the Jetty 11 jars, so the module compiles no Jetty of its own.
 *
 * <p>Arguments: {@code HTTP11} or {@code H2} (HTTP/2 negotiated by ALPN over TLS, HTTP/1.1 for
 * plain http). The twin for Jetty 12 differs only in its imports.
 */
public final class ScriptedJetty11Client {
  private final List<String> observed = new CopyOnWriteArrayList<>();
  private final HttpClient client;

  ScriptedJetty11Client(HttpClient client) {
    this.client = client;
  }

  public static void main(String[] args) throws Exception {
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(new SslContextFactory.Client());
    HttpClient client;
    if (args[0].equals("H2")) {
      ClientConnectionFactoryOverHTTP2.HTTP2 http2 =
          new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector));
      client =
          new HttpClient(
              new HttpClientTransportDynamic(
                  connector, http2, HttpClientConnectionFactory.HTTP11));
    } else {
      client = new HttpClient(new HttpClientTransportDynamic(connector));
    }
    client.start();
    ScriptedJetty11Client app = new ScriptedJetty11Client(client);
    ChildReport.create()
        .put("ready", true)
        .put("protocol", args[0])
        .put("jetty_version", Jetty.VERSION)
        .put("java_version", Runtime.version().feature())
        .print();
    CommandLoop.create().on("request", line -> app.request(RequestLine.parse(line))).run();
    client.stop();
    System.exit(0);
  }

  private static String lines(HttpFields headers) {
    StringBuilder text = new StringBuilder();
    for (HttpField header : headers) {
      text.append(header.getName()).append(": ").append(header.getValue()).append('\n');
    }
    return text.toString();
  }

  private Request newRequest(RequestLine line) {
    Request request =
        client
            .newRequest(line.url)
            .method(line.method)
            .followRedirects(!line.redirects.equals("NEVER"))
            .timeout(30, TimeUnit.SECONDS)
            .headers(
                headers -> {
                  for (String[] header : line.headers) {
                    headers.add(header[0], header[1]);
                  }
                })
            .onRequestHeaders(r -> observed.add("on_headers " + r.getURI() + "\n" + lines(r.getHeaders())))
            .onRequestCommit(r -> observed.add("on_commit " + r.getURI() + "\n" + lines(r.getHeaders())))
            .onRequestSuccess(r -> observed.add("on_success " + r.getURI() + "\n" + lines(r.getHeaders())));
    if (line.body != null) {
      String type = null;
      for (String[] header : line.headers) {
        if (header[0].equalsIgnoreCase("Content-Type")) {
          type = header[1];
        }
      }
      request.body(
          type == null ? new StringRequestContent(line.body) : new StringRequestContent(type, line.body));
    }
    return request;
  }

  ChildReport request(RequestLine line) throws InterruptedException {
    observed.clear();
    long started = System.nanoTime();
    ChildReport report = ChildReport.create();
    try {
      ContentResponse response = newRequest(line).send();
      Request sent = response.getRequest();
      report
          .put("status", response.getStatus())
          .put("protocol", response.getVersion().asString())
          .put("body", response.getContentAsString())
          .put("response_request", sent.getURI() + "\n" + lines(sent.getHeaders()));
    } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
      reportError(report, e);
    }
    return report
        .put("observed", new ArrayList<>(observed))
        .put("elapsed_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** The agent's refusal where it is in the failure's cause chain, with the failure's class. */
  static void reportError(ChildReport report, Throwable failure) {
    Throwable error = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
    Throwable refusal = error;
    while (refusal != null
        && !refusal.getClass().getName().equals("dev.alter.agent.bootstrap.AlterCredentialException")) {
      refusal = refusal.getCause();
    }
    report.error(refusal != null ? refusal : error).put("failure_class", error.getClass().getName());
  }
}
