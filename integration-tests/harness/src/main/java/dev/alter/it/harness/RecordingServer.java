package dev.alter.it.harness;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A stand-in for a provider API on 127.0.0.1 (ephemeral port) that records every request exactly as
 * it arrived and answers with canned responses. The TLS variant negotiates HTTP/2 or HTTP/1.1 by
 * ALPN; the plain variant speaks HTTP/1.1 (and h2c upgrade). Header names keep the case the client
 * sent wherever the protocol carries it (HTTP/2 is lower case by definition).
 */
public final class RecordingServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final String scheme;
  private final String hostName;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final Map<String, CannedResponse> responses = new ConcurrentHashMap<>();
  private volatile CannedResponse defaultResponse = CannedResponse.ok("recorded");

  private RecordingServer(String scheme, TestCertificate certificate, String hostName) {
    this.scheme = scheme;
    this.hostName = hostName;
    QueuedThreadPool threads = new QueuedThreadPool(48, 4);
    threads.setName("recording-server");
    threads.setDaemon(true);
    server = new Server(threads);

    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendDateHeader(false);
    // keep header names as the client spelled them, instead of Jetty's canonical spelling
    config.setHttpCompliance(
        HttpCompliance.RFC9110.with(
            "alter-it", HttpCompliance.Violation.CASE_SENSITIVE_FIELD_NAME));
    HttpConnectionFactory http1 = new HttpConnectionFactory(config);
    if (certificate == null) {
      connector = new ServerConnector(server, http1, new HTTP2CServerConnectionFactory(config));
    } else {
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      secure.setSniRequired(false);
      config.addCustomizer(secure);
      HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(config);
      // bursts of concurrent requests multiplex on one connection instead of queueing
      http2.setMaxConcurrentStreams(1024);
      ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
      alpn.setDefaultProtocol(http1.getProtocol());
      SslContextFactory.Server tls = new SslContextFactory.Server();
      tls.setKeyStore(certificate.keyStore());
      tls.setKeyStorePassword(certificate.password());
      tls.setSniRequired(false);
      connector =
          new ServerConnector(
              server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, http2, http1);
    }
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    // bursts open hundreds of connections at once: a short backlog would drop their SYNs
    connector.setAcceptQueueSize(1024);
    server.addConnector(connector);
    server.setHandler(new RecordingHandler());
  }

  /** An HTTPS server (HTTP/2 and HTTP/1.1 by ALPN), addressed as {@code localhost}. */
  public static RecordingServer https(TestCertificate certificate) {
    return https(certificate, "localhost");
  }

  /** An HTTPS server addressed by {@code hostName} (which a hosts file maps to 127.0.0.1). */
  public static RecordingServer https(TestCertificate certificate, String hostName) {
    return new RecordingServer("https", certificate, hostName).start();
  }

  /** A plain-HTTP server, addressed as {@code localhost}. */
  public static RecordingServer http() {
    return http("localhost");
  }

  public static RecordingServer http(String hostName) {
    return new RecordingServer("http", null, hostName).start();
  }

  private RecordingServer start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("recording server did not start", e);
    }
    return this;
  }

  public int port() {
    return connector.getLocalPort();
  }

  public String scheme() {
    return scheme;
  }

  /**
   * {@code https://localhost:PORT} (no trailing slash): the origin an allowed destination names.
   */
  public String origin() {
    return scheme + "://" + hostName + ":" + port();
  }

  /** {@code origin() + path}. */
  public String url(String path) {
    return origin() + path;
  }

  /** Answers requests whose path (without query) equals {@code path}. */
  public RecordingServer respond(String path, CannedResponse response) {
    responses.put(path, response);
    return this;
  }

  /** Answers every path without its own response. */
  public RecordingServer respondByDefault(CannedResponse response) {
    defaultResponse = response;
    return this;
  }

  /** Everything received so far, in arrival order. */
  public List<RecordedRequest> requests() {
    return new ArrayList<>(requests);
  }

  public int requestCount() {
    return requests.size();
  }

  /** The only request received; fails if there were none or several. */
  public RecordedRequest singleRequest() {
    List<RecordedRequest> all = requests();
    if (all.size() != 1) {
      throw new AssertionError("expected exactly one request, got " + all.size() + ": " + all);
    }
    return all.get(0);
  }

  /** Waits until at least {@code count} requests arrived. */
  public List<RecordedRequest> awaitRequests(int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (requests.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "expected "
                + count
                + " requests within "
                + timeout
                + ", got "
                + requests.size()
                + ": "
                + requests);
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    return requests();
  }

  /** Forgets what was recorded (the canned responses stay). */
  public void clear() {
    requests.clear();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("recording server did not stop", e);
    }
  }

  private final class RecordingHandler extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      ByteBuffer content = Content.Source.asByteBuffer(request);
      byte[] body = BufferUtil.toArray(content);
      List<Map.Entry<String, String>> headers = new ArrayList<>();
      for (HttpField field : request.getHeaders()) {
        headers.add(Map.entry(field.getName(), field.getValue() == null ? "" : field.getValue()));
      }
      String protocol = request.getConnectionMetaData().getProtocol();
      String target = request.getHttpURI().getPathQuery();
      requests.add(
          new RecordedRequest(
              protocol,
              request.getHttpURI().getScheme(),
              request.getMethod(),
              target == null ? "/" : target,
              request.getHttpURI().getAuthority(),
              headers,
              body,
              request.getConnectionMetaData().getId()));

      CannedResponse canned =
          responses.getOrDefault(request.getHttpURI().getPath(), defaultResponse);
      response.setStatus(canned.status());
      for (Map.Entry<String, String> h : canned.headers()) {
        response.getHeaders().add(h.getKey(), h.getValue());
      }
      response.write(true, ByteBuffer.wrap(canned.body()), callback);
      return true;
    }
  }
}
