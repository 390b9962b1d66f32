package dev.alter.agent.instrumentation.apache.httpclient4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.testing.CapturedLog;
import dev.alter.agent.testing.InstalledInstrumentation;
import dev.alter.agent.testing.LocalServer;
import dev.alter.agent.testing.ScriptedInjector;
import dev.alter.agent.testing.SelfSignedTls;
import dev.alter.agent.testing.StandardTaggedRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache HttpClient 4.5 (classic, pooling connection manager) with the advice woven in, against
 * loopback servers that record what arrived; commons-logging writes the headers and wire logs
 * through java.util.logging, where the test reads them.
 */
class ApacheHttpClient4InjectionTest {
  /** Loaded before the advice is woven, so it is woven by retransformation. */
  static final String[] HOOKED_TYPES = {
    "org.apache.http.impl.DefaultBHttpClientConnection",
    "org.apache.http.impl.io.AbstractMessageWriter",
    "org.apache.http.impl.conn.Wire",
    "org.apache.http.impl.client.DefaultHttpRequestRetryHandler"
  };

  private static final String SECRET = ScriptedInjector.SECRET;

  @TempDir static Path dir;
  static CapturedLog log;
  static SSLContext tls;
  static LocalServer allowed;
  static LocalServer other;
  static LocalServer secure;
  static ScriptedInjector injector;
  static InstalledInstrumentation instrumentation;

  final List<String> interceptorSaw = new ArrayList<>();
  CloseableHttpClient client;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty(
        "org.apache.commons.logging.Log", "org.apache.commons.logging.impl.Jdk14Logger");
    instrumentation =
        InstalledInstrumentation.of(new ApacheHttpClient4InstrumentationModule(), HOOKED_TYPES);
    log = CapturedLog.of("org.apache.http");
    tls = SelfSignedTls.create(dir);
    allowed = LocalServer.http();
    other = LocalServer.http();
    secure = LocalServer.https(tls);
    injector =
        ScriptedInjector.allowingOrigins(Set.of(allowed.origin(), secure.origin())).installed();
  }

  @AfterAll
  static void stop() {
    log.close();
    allowed.close();
    other.close();
    secure.close();
  }

  @BeforeEach
  void newClient() {
    allowed.received.clear();
    other.received.clear();
    secure.received.clear();
    injector.seen.clear();
    log.clear();
    // the last interceptor of the chain: what it sees is what every interceptor sees
    HttpRequestInterceptor last =
        (request, context) -> {
          for (Header header : request.getAllHeaders()) {
            interceptorSaw.add(header.toString());
          }
        };
    // the default retry handler (three retries of any unknown IOException) stays in place
    client = HttpClients.custom().setSSLContext(tls).addInterceptorLast(last).build();
  }

  @AfterEach
  void closeClient() throws IOException {
    client.close();
  }

  @Test
  void theHookedClassesWereRetransformedInPlace() {
    assertThat(instrumentation.errors).isEmpty();
    assertThat(instrumentation.transformed).contains(HOOKED_TYPES);
  }

  @Test
  void taggedRequestGetsTheCredentialReplacingThePlaceholderAndLosesItsAlterHeaders()
      throws IOException {
    HttpGet get = new HttpGet(allowed.url(StandardTaggedRequest.TARGET));
    StandardTaggedRequest.HEADERS.forEach(get::setHeader);

    assertThat(execute(get, HttpClientContext.create())).isEqualTo(200);

    StandardTaggedRequest.assertRewritten(allowed, injector);
  }

  @Test
  void untaggedRequestIsSentAsTheApplicationBuiltIt() throws IOException {
    HttpGet get = new HttpGet(allowed.url("/plain"));
    get.setHeader("Authorization", "Bearer app-own-token");

    assertThat(execute(get, HttpClientContext.create())).isEqualTo(200);

    assertThat(allowed.single().header("Authorization")).containsExactly("Bearer app-own-token");
    assertThat(injector.seen).isEmpty();
  }

  @Test
  void credentialNeverReachesInterceptorsContextRequestOrHeadersLogAndTheWireLogIsRedacted()
      throws IOException {
    HttpClientContext context = HttpClientContext.create();
    HttpPost post = new HttpPost(allowed.url("/v1/charges"));
    post.setHeader("alter-grant", "grt_header");
    post.setEntity(new StringEntity("amount=2000", ContentType.APPLICATION_FORM_URLENCODED));

    assertThat(execute(post, context)).isEqualTo(200);

    LocalServer.Received received = allowed.single();
    assertThat(received.header("DD-API-KEY")).containsExactly(SECRET);
    assertThat(received.body).isEqualTo("amount=2000");
    assertThat(interceptorSaw)
        .contains("alter-grant: grt_header")
        .noneMatch(h -> h.contains(SECRET));
    assertThat(Arrays.toString(context.getRequest().getAllHeaders()))
        .contains("alter-grant")
        .doesNotContain(SECRET);
    assertThat(Arrays.toString(post.getAllHeaders())).doesNotContain(SECRET);
    List<String> logged;
    logged = log.lines();
    assertThat(logged)
        .anyMatch(
            line -> line.startsWith("org.apache.http.headers") && line.contains("alter-grant"));
    assertThat(logged)
        .anyMatch(
            line ->
                line.startsWith("org.apache.http.wire") && line.contains("DD-API-KEY: [REDACTED]"));
    assertThat(logged).noneMatch(line -> line.contains(SECRET));
  }

  @Test
  void queryParameterInjectionRewritesOnlyTheRequestLine() throws IOException {
    HttpGet get = new HttpGet(allowed.url("/api/v1/series?from=1"));
    get.setHeader("alter-grant", "grt_query");
    HttpClientContext context = HttpClientContext.create();

    assertThat(execute(get, context)).isEqualTo(200);

    assertThat(allowed.single().target).isEqualTo("/api/v1/series?from=1&api_key=" + SECRET);
    assertThat(context.getRequest().getRequestLine().getUri()).doesNotContain(SECRET);
    assertThat(log.lines()).noneMatch(line -> line.contains(SECRET));
  }

  @Test
  void sameOriginRedirectHopCarriesTheCredentialAgain() throws IOException {
    allowed.redirect("/moved", allowed.url("/landed"));
    HttpGet get = new HttpGet(allowed.url("/moved"));
    get.setHeader("alter-grant", "grt_header");

    assertThat(execute(get, HttpClientContext.create())).isEqualTo(200);

    assertThat(allowed.received).hasSize(2);
    for (LocalServer.Received hop : allowed.received) {
      assertThat(hop.header("DD-API-KEY")).containsExactly(SECRET);
      assertThat(hop.hasHeader("alter-grant")).isFalse();
    }
  }

  @Test
  void crossOriginRedirectNeverCarriesTheCredentialAndNothingReachesTheOtherOrigin() {
    allowed.redirect("/elsewhere", other.url("/collect"));
    HttpGet get = new HttpGet(allowed.url("/elsewhere"));
    get.setHeader("alter-grant", "grt_header");

    assertThatThrownBy(() -> execute(get, HttpClientContext.create()))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> assertThat(e.code()).isEqualTo("host_not_allowed"));
    assertThat(allowed.single().header("DD-API-KEY")).containsExactly(SECRET);
    assertThat(other.received).isEmpty();
  }

  @Test
  void refusedGrantFailsTheCallAndSendsNothing() {
    HttpPost post = new HttpPost(allowed.url("/v1/charges"));
    post.setHeader("alter-grant", "grt_unknown");
    post.setEntity(new StringEntity("amount=1", ContentType.APPLICATION_FORM_URLENCODED));

    assertThatThrownBy(() -> execute(post, HttpClientContext.create()))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.code()).isEqualTo("grant_not_found");
              assertThat(e.grantId()).isEqualTo("grt_unknown");
            });
    assertThat(allowed.received).isEmpty();
    assertThat(injector.seen).as("refused once, not retried").hasSize(1);
  }

  @Test
  void httpsRequestsBindToTheTlsPeerTheConnectionDialled() throws IOException {
    HttpGet get = new HttpGet(secure.url("/v2/events"));
    get.setHeader("alter-grant", "grt_header");

    assertThat(execute(get, HttpClientContext.create())).isEqualTo(200);

    assertThat(secure.single().header("Authorization")).containsExactly("Bearer " + SECRET);
    assertThat(secure.single().hasHeader("alter-grant")).isFalse();
    assertThat(injector.seen)
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.scheme()).isEqualTo("https");
              assertThat(request.host()).isEqualTo("127.0.0.1");
              assertThat(request.port()).isEqualTo(secure.port());
            });
  }

  private int execute(
      org.apache.http.client.methods.HttpUriRequest request, HttpClientContext context)
      throws IOException {
    try (CloseableHttpResponse response = client.execute(request, context)) {
      EntityUtils.consume(response.getEntity());
      return response.getStatusLine().getStatusCode();
    }
  }
}
