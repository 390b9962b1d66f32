package dev.alter.agent.instrumentation.javahttpclient;

import static dev.alter.agent.testing.ScriptedInjector.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.testing.CapturedLog;
import dev.alter.agent.testing.InstalledInstrumentation;
import dev.alter.agent.testing.LocalServer;
import dev.alter.agent.testing.ScriptedInjector;
import dev.alter.agent.testing.SelfSignedTls;
import dev.alter.agent.testing.StandardTaggedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import okhttp3.Protocol;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK's own {@code java.net.http.HttpClient} with the advice woven into the running {@code
 * java.net.http} module, over HTTP/1.1 (plain and TLS, against recording loopback servers) and
 * HTTP/2 (TLS with ALPN, against MockWebServer), with the client's header log switched on.
 */
class JavaHttpClientInjectionTest {
  /**
   * Loaded before the advice is woven: an application may build its HttpClient before the agent
   * starts.
   */
  private static final String[] HOOKED_TYPES = {
    "jdk.internal.net.http.Http1Request",
    "jdk.internal.net.http.Stream",
    "jdk.internal.net.http.Http2Connection",
    "jdk.internal.net.http.HttpClientImpl"
  };

  @TempDir static Path dir;
  static CapturedLog log;
  static SSLContext tls;
  static LocalServer allowed;
  static LocalServer other;
  static LocalServer secure;
  static MockWebServer http2;
  static ScriptedInjector injector;
  static InstalledInstrumentation instrumentation;
  static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    // read once, when the client's logging class initialises
    System.setProperty("jdk.httpclient.HttpClient.log", "headers");
    // the advice links against the bridge from java.net.http, so it must be on the boot class
    // path (-Xbootclasspath/a in the surefire configuration)
    assertThat(AlterBridge.class.getClassLoader()).as("the bridge's class loader").isNull();
    instrumentation =
        InstalledInstrumentation.of(new JavaHttpClientInstrumentationModule(), HOOKED_TYPES);
    log = CapturedLog.of("jdk.httpclient.HttpClient");
    tls = SelfSignedTls.create(dir);
    allowed = LocalServer.http();
    other = LocalServer.http();
    secure = LocalServer.https(tls);
    http2 = new MockWebServer();
    http2.useHttps(tls.getSocketFactory(), false);
    http2.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
    http2.start(InetAddress.getByName("127.0.0.1"), 0);
    injector =
        ScriptedInjector.allowingOrigins(
                Set.of(allowed.origin(), secure.origin(), "https://127.0.0.1:" + http2.getPort()))
            .installed();
    client =
        HttpClient.newBuilder()
            .sslContext(tls)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  @AfterAll
  static void stop() throws IOException {
    log.close();
    allowed.close();
    other.close();
    secure.close();
    http2.shutdown();
  }

  @BeforeEach
  void clear() {
    allowed.received.clear();
    other.received.clear();
    secure.received.clear();
    injector.seen.clear();
    log.clear();
  }

  private static HttpRequest.Builder request(String url, HttpClient.Version version) {
    return HttpRequest.newBuilder(URI.create(url)).version(version).timeout(Duration.ofSeconds(20));
  }

  private static HttpResponse<String> send(HttpRequest request)
      throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String http2Url(String path) {
    return "https://127.0.0.1:" + http2.getPort() + path;
  }

  @Test
  void theHookedClassesWereRetransformedInPlace() {
    assertThat(instrumentation.errors).isEmpty();
    assertThat(instrumentation.transformed).contains(HOOKED_TYPES);
  }

  @Test
  void http11TaggedRequestGetsTheCredentialReplacingThePlaceholderAndLosesItsAlterHeaders()
      throws Exception {
    HttpRequest.Builder tagged =
        request(allowed.url(StandardTaggedRequest.TARGET), HttpClient.Version.HTTP_1_1);
    StandardTaggedRequest.HEADERS.forEach(tagged::header);

    assertThat(send(tagged.build()).statusCode()).isEqualTo(200);
    StandardTaggedRequest.assertRewritten(allowed, injector);
  }

  @Test
  void untaggedRequestIsSentAsTheApplicationBuiltIt() throws Exception {
    HttpResponse<String> response =
        send(
            request(allowed.url("/plain"), HttpClient.Version.HTTP_1_1)
                .header("Authorization", "Bearer app-own-token")
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(allowed.single().header("Authorization")).containsExactly("Bearer app-own-token");
    assertThat(allowed.single().hasHeader("DD-API-KEY")).isFalse();
    assertThat(injector.seen).isEmpty();
  }

  @Test
  void credentialIsInvisibleInTheResponsesRequestAndTheClientsHeaderLog() throws Exception {
    HttpResponse<String> response =
        send(
            request(secure.url("/visible"), HttpClient.Version.HTTP_1_1)
                .header("alter-grant", "grt_header")
                .header("X-Marker", "invisibility")
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(secure.single().header("DD-API-KEY")).containsExactly(SECRET);
    // HttpResponse.request() is the application's own request: it names the grant, holds no key
    assertThat(response.request().headers().firstValue("alter-grant")).hasValue("grt_header");
    assertThat(response.request().headers().map().toString())
        .doesNotContain(SECRET)
        .doesNotContainIgnoringCase("dd-api-key");
    String logged;
    logged = log.text();
    // the client logged the header block it built, before the advice rewrote it for the socket
    assertThat(logged)
        .containsIgnoringCase("x-marker")
        .containsIgnoringCase("alter-grant")
        .doesNotContain(SECRET);
  }

  @Test
  void postBodyArrivesUntouchedAndItsPublisherIsHandedOver() throws Exception {
    String body = "Action=SendMessage&MessageBody=hi";
    HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofString(body);
    HttpResponse<String> response =
        send(
            request(allowed.url("/queue"), HttpClient.Version.HTTP_1_1)
                .header("alter-grant", "grt_header")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(publisher)
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    LocalServer.Received received = allowed.single();
    assertThat(received.method).isEqualTo("POST");
    assertThat(received.body).isEqualTo(body);
    assertThat(received.header("DD-API-KEY")).containsExactly(SECRET);
    assertThat(injector.seen)
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.body().kind()).isEqualTo(OutgoingBody.Kind.CLIENT_OBJECT);
              assertThat(request.body().family()).isEqualTo(OutgoingBody.JDK_PUBLISHER);
              assertThat(request.body().content()).isSameAs(publisher);
            });
  }

  @Test
  void queryParameterInjectionRewritesOnlyTheRequestTarget() throws Exception {
    HttpResponse<String> response =
        send(
            request(allowed.url("/api/v1/series?from=1"), HttpClient.Version.HTTP_1_1)
                .header("alter-grant", "grt_query")
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(allowed.single().target).isEqualTo("/api/v1/series?from=1&api_key=" + SECRET);
    assertThat(response.request().uri().toString()).doesNotContain(SECRET);
    assertThat(response.uri().toString()).doesNotContain(SECRET);
  }

  @Test
  void sameOriginRedirectHopCarriesTheCredentialAgain() throws Exception {
    allowed.redirect("/moved", allowed.url("/landed"));
    HttpResponse<String> response =
        send(
            request(allowed.url("/moved"), HttpClient.Version.HTTP_1_1)
                .header("alter-grant", "grt_header")
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(allowed.received).extracting(r -> r.target).containsExactly("/moved", "/landed");
    for (LocalServer.Received hop : allowed.received) {
      assertThat(hop.header("DD-API-KEY")).containsExactly(SECRET);
      assertThat(hop.hasHeader("alter-grant")).isFalse();
    }
    assertThat(injector.seen).hasSize(2);
  }

  @Test
  void redirectToAnotherOriginIsCheckedOnTheHostDialledAndNeverReachesIt() throws Exception {
    allowed.redirect("/away", other.url("/collector"));
    HttpRequest tagged =
        request(allowed.url("/away"), HttpClient.Version.HTTP_1_1)
            .header("alter-grant", "grt_header")
            .build();

    assertThatThrownBy(() -> send(tagged))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.code()).isEqualTo("host_not_allowed");
              assertThat(e.grantId()).isEqualTo("grt_header");
            });

    assertThat(allowed.single().header("DD-API-KEY")).containsExactly(SECRET);
    assertThat(other.received).isEmpty();
    assertThat(injector.seen)
        .extracting(r -> r.port())
        .containsExactly(allowed.port(), other.port());
  }

  @Test
  void refusalReachesSendAsTheAgentsOwnExceptionAndNothingIsSent() {
    HttpRequest tagged =
        request(secure.url("/v1/x"), HttpClient.Version.HTTP_1_1)
            .header("alter-grant", "grt_unknown")
            .build();

    // HttpClientImpl.send would re-wrap it in a plain IOException; the application gets Alter's
    // type
    assertThatThrownBy(() -> send(tagged))
        .isInstanceOfSatisfying(
            AlterCredentialException.class, e -> assertThat(e.code()).isEqualTo("grant_not_found"));
    assertThat(secure.received).isEmpty();
  }

  @Test
  void refusalCompletesSendAsyncExceptionallyWithTheAgentsException() {
    HttpRequest tagged =
        request(allowed.url("/v1/x"), HttpClient.Version.HTTP_1_1)
            .header("alter-grant", "grt_unknown")
            .build();

    assertThatThrownBy(() -> client.sendAsync(tagged, HttpResponse.BodyHandlers.ofString()).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            AlterCredentialException.class, e -> assertThat(e.code()).isEqualTo("grant_not_found"));
    assertThat(allowed.received).isEmpty();
  }

  @Test
  void http2TaggedRequestGetsTheCredentialInItsHeadersFrameOnly() throws Exception {
    http2.enqueue(new MockResponse().setBody("ok"));
    HttpResponse<String> response =
        send(
            request(http2Url("/v1/series?from=1"), HttpClient.Version.HTTP_2)
                .header("alter-grant", "grt_header")
                .header("Authorization", "Bearer placeholder")
                .header("X-Trace", "abc-123")
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    RecordedRequest received = http2.takeRequest(5, TimeUnit.SECONDS);
    assertThat(received.getPath()).isEqualTo("/v1/series?from=1");
    assertThat(received.getHeaders().values("Authorization")).containsExactly("Bearer " + SECRET);
    assertThat(received.getHeaders().values("DD-API-KEY")).containsExactly(SECRET);
    assertThat(received.getHeaders().values("X-Trace")).containsExactly("abc-123");
    assertThat(received.getHeaders().names()).noneMatch(name -> name.startsWith("alter-"));
    assertThat(response.request().headers().map().toString()).doesNotContain(SECRET);
    // the stream asks first (to fail alone), the HEADERS frame's encoder asks again to rewrite
    assertThat(injector.seen)
        .isNotEmpty()
        .allSatisfy(
            request -> {
              assertThat(request.scheme()).isEqualTo("https");
              assertThat(request.host()).isEqualTo("127.0.0.1");
              assertThat(request.port()).isEqualTo(http2.getPort());
              assertThat(request.pathAndQuery()).isEqualTo("/v1/series?from=1");
            });
  }

  @Test
  void http2QueryParameterInjectionRewritesOnlyThePathPseudoHeader() throws Exception {
    http2.enqueue(new MockResponse().setBody("ok"));
    HttpResponse<String> response =
        send(
            request(http2Url("/api/v1/series?from=1"), HttpClient.Version.HTTP_2)
                .header("alter-grant", "grt_query")
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(http2.takeRequest(5, TimeUnit.SECONDS).getPath())
        .isEqualTo("/api/v1/series?from=1&api_key=" + SECRET);
    assertThat(response.request().uri().toString()).doesNotContain(SECRET);
  }

  @Test
  void http2RefusalFailsOnlyItsOwnStreamAndTheConnectionStaysUsable() throws Exception {
    http2.enqueue(new MockResponse().setBody("warm"));
    assertThat(send(request(http2Url("/warm"), HttpClient.Version.HTTP_2).build()).version())
        .isEqualTo(HttpClient.Version.HTTP_2);
    http2.takeRequest(5, TimeUnit.SECONDS);
    int requestsBefore = http2.getRequestCount();
    HttpRequest refused =
        request(http2Url("/v1/x"), HttpClient.Version.HTTP_2)
            .header("alter-grant", "grt_unknown")
            .build();

    assertThatThrownBy(() -> send(refused))
        .isInstanceOfSatisfying(
            AlterCredentialException.class, e -> assertThat(e.code()).isEqualTo("grant_not_found"));

    http2.enqueue(new MockResponse().setBody("ok"));
    HttpResponse<String> next =
        send(
            request(http2Url("/v1/next"), HttpClient.Version.HTTP_2)
                .header("alter-grant", "grt_dd")
                .build());
    assertThat(next.statusCode()).isEqualTo(200);
    RecordedRequest received = http2.takeRequest(5, TimeUnit.SECONDS);
    assertThat(received.getPath()).isEqualTo("/v1/next");
    assertThat(received.getHeaders().values("DD-API-KEY")).containsExactly(SECRET);
    // the refused request never reached the server, and the next one reused the connection
    assertThat(http2.getRequestCount()).isEqualTo(requestsBefore + 1);
    assertThat(received.getSequenceNumber()).isGreaterThan(0);
  }
}
