import dev.alter.it.child.ChildReport;
import dev.alter.it.child.CommandLoop;
import dev.alter.it.child.RequestLine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Jetty;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * An ordinary Jetty 12 HttpClient application, driven line by line from stdin ({@code request
 * <RequestLine>}), that reports what it can observe of each call through Jetty's public API: the
 * request headers its request listeners see when the headers are ready, committed and sent, and
 * the request the response holds (the last hop's, after redirects). Launched in source-file mode
 * against the Jetty 12 jars, so the module compiles no Jetty of its own.
 *
 * <p>Arguments: {@code HTTP11}, {@code H2} (HTTP/2 negotiated by ALPN over TLS, HTTP/1.1 for
 * plain http) or {@code H2C} (HTTP/2 only, with prior knowledge over cleartext). The {@code
 * proxied <port> <RequestLine>} command sends through a forward HTTP proxy on loopback, with a
 * client of its own (HTTP/1.1, a CONNECT tunnel for https). The {@code burst} command sends many requests at once on a client with one selector,
 * timing untagged requests sent meanwhile. The twin for Jetty 11 differs only in its imports.
 */
public final class ScriptedJetty12Client {
  private final List<String> observed = new CopyOnWriteArrayList<>();
  private final HttpClient client;

  /** One selector, no observers: a burst measures the selector, not the app's listeners. */
  private final HttpClient bare;

  ScriptedJetty12Client(HttpClient client, HttpClient bare) {
    this.client = client;
    this.bare = bare;
  }

  public static void main(String[] args) throws Exception {
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(new SslContextFactory.Client());
    HttpClient client;
    if (args[0].equals("H2C")) {
      client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
    } else if (args[0].equals("H2")) {
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
    ClientConnector oneSelector = new ClientConnector();
    oneSelector.setSelectors(1);
    oneSelector.setSslContextFactory(new SslContextFactory.Client());
    HttpClient bare = new HttpClient(new HttpClientTransportDynamic(oneSelector));
    // 50 connections a destination, the rest queued: a burst measures the selector, not a storm
    // of TLS handshakes
    bare.setMaxConnectionsPerDestination(50);
    bare.setMaxRequestsQueuedPerDestination(4096);
    bare.start();
    ScriptedJetty12Client app = new ScriptedJetty12Client(client, bare);
    ChildReport.create()
        .put("ready", true)
        .put("protocol", args[0])
        .put("jetty_version", Jetty.VERSION)
        .put("java_version", Runtime.version().feature())
        .print();
    CommandLoop.create()
        .on("request", line -> app.request(RequestLine.parse(line)))
        .on(
            "proxied",
            arguments -> {
              String[] portAndLine = CommandLoop.firstWordAndRest(arguments);
              return app.proxied(Integer.parseInt(portAndLine[0]), RequestLine.parse(portAndLine[1]));
            })
        .on("burst", app::burst)
        .run();
    client.stop();
    bare.stop();
    System.exit(0);
  }

  private static String lines(HttpFields headers) {
    StringBuilder text = new StringBuilder();
    for (HttpField header : headers) {
      text.append(header.getName()).append(": ").append(header.getValue()).append('\n');
    }
    return text.toString();
  }

  private Request newRequest(HttpClient sender, RequestLine line) {
    Request request =
        sender
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
    return send(client, line);
  }

  ChildReport proxied(int proxyPort, RequestLine line) throws Exception {
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(new SslContextFactory.Client());
    HttpClient proxiedClient = new HttpClient(new HttpClientTransportDynamic(connector));
    proxiedClient.getProxyConfiguration().addProxy(new HttpProxy("127.0.0.1", proxyPort));
    proxiedClient.start();
    try {
      return send(proxiedClient, line);
    } finally {
      proxiedClient.stop();
    }
  }

  private ChildReport send(HttpClient sender, RequestLine line) throws InterruptedException {
    observed.clear();
    long started = System.nanoTime();
    ChildReport report = ChildReport.create();
    try {
      ContentResponse response = newRequest(sender, line).send();
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

  /**
   * {@code burst <tagged url> <untagged url> <count> <grant> <grant> …}: {@code count} tagged GETs
   * at once, spread over the grants, while untagged GETs run one after another on the same
   * selector; reports how many tagged requests succeeded and the untagged latencies meanwhile.
   */
  ChildReport burst(String arguments) throws Exception {
    String[] words = arguments.split(" ");
    String taggedUrl = words[0];
    String untaggedUrl = words[1];
    int count = Integer.parseInt(words[2]);
    List<String> grants = Arrays.asList(words).subList(3, words.length);
    long started = System.nanoTime();
    CountDownLatch done = new CountDownLatch(count);
    AtomicInteger ok = new AtomicInteger();
    for (int i = 0; i < count; i++) {
      String grant = grants.get(i % grants.size());
      bare.newRequest(taggedUrl)
          .headers(headers -> headers.add("alter-grant", grant))
          .timeout(120, TimeUnit.SECONDS)
          .send(
              result -> {
                if (result.isSucceeded() && result.getResponse().getStatus() == 200) {
                  ok.incrementAndGet();
                }
                done.countDown();
              });
    }
    List<Long> untaggedMillis = new ArrayList<>();
    while (done.getCount() > 0) {
      long sent = System.nanoTime();
      ContentResponse response = bare.newRequest(untaggedUrl).timeout(30, TimeUnit.SECONDS).send();
      if (response.getStatus() == 200) {
        untaggedMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
      }
    }
    done.await(120, TimeUnit.SECONDS);
    return ChildReport.create()
        .put("tagged_ok", ok.get())
        .put("tagged_total", count)
        .put("untagged_ms", untaggedMillis)
        .put("elapsed_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }
}
