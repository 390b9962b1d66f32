package dev.alter.agent.instrumentation.httpurlconnection;

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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK's own HttpURLConnection (plain and HTTPS) with the advice woven into the running {@code
 * java.base}, against loopback servers that record what arrived.
 */
class HttpUrlConnectionInjectionTest {
  /**
   * Loaded before the advice is woven: an application may touch HttpURLConnection before the agent
   * starts.
   */
  private static final String[] HOOKED_TYPES = {
    "sun.net.www.http.HttpClient",
    "sun.net.www.http.HttpCaptureOutputStream",
    "sun.net.www.protocol.http.HttpURLConnection"
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

  @BeforeAll
  static void start() throws Exception {
    // the JDK's raw traffic capture, for requests whose URL contains /captured/ (read once, on
    // the first connection this JVM makes)
    Files.writeString(
        dir.resolve("capture-rules"), "/captured/ , " + dir.resolve("capture-%d.log") + "\n");
    System.setProperty("sun.net.http.captureRules", dir.resolve("capture-rules").toString());
    // the advice links against the bridge from java.base, so it must be on the boot class path
    // (-Xbootclasspath/a in the surefire configuration)
    assertThat(AlterBridge.class.getClassLoader()).as("the bridge's class loader").isNull();
    instrumentation =
        InstalledInstrumentation.of(new HttpUrlConnectionInstrumentationModule(), HOOKED_TYPES);
    log = CapturedLog.of("sun.net.www.protocol.http.HttpURLConnection");
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
  void clear() {
    allowed.received.clear();
    other.received.clear();
    secure.received.clear();
    injector.seen.clear();
  }

  @Test
  void theJdkHttpClientWasRetransformedInPlace() {
    assertThat(instrumentation.errors).isEmpty();
    assertThat(instrumentation.transformed).contains(HOOKED_TYPES);
  }

  @Test
  void taggedRequestGetsTheCredentialReplacingThePlaceholderAndLosesItsAlterHeaders()
      throws IOException {
    HttpURLConnection connection = open(allowed.url(StandardTaggedRequest.TARGET));
    StandardTaggedRequest.HEADERS.forEach(connection::setRequestProperty);

    assertThat(connection.getResponseCode()).isEqualTo(200);

    StandardTaggedRequest.assertRewritten(allowed, injector);
  }

  @Test
  void untaggedRequestIsSentAsTheApplicationBuiltIt() throws IOException {
    HttpURLConnection connection = open(allowed.url("/plain"));
    connection.setRequestProperty("Authorization", "Bearer app-own-token");

    assertThat(connection.getResponseCode()).isEqualTo(200);

    assertThat(allowed.single().header("Authorization")).containsExactly("Bearer app-own-token");
    assertThat(allowed.single().hasHeader("DD-API-KEY")).isFalse();
    assertThat(injector.seen).isEmpty();
  }

  @Test
  void credentialIsNeverVisibleThroughRequestPropertiesOrTheJdkLogger() throws IOException {
    log.clear();
    HttpURLConnection connection = open(allowed.url("/visible"));
    connection.setRequestProperty("alter-grant", "grt_header");
    Map<String, List<String>> beforeConnect = connection.getRequestProperties();

    assertThat(connection.getResponseCode()).isEqualTo(200);
    readBody(connection);

    assertThat(allowed.single().header("DD-API-KEY")).containsExactly(SECRET);
    assertThat(beforeConnect.toString()).doesNotContain(SECRET);
    assertThat(connection.getRequestProperty("DD-API-KEY")).isNull();
    assertThat(connection.getRequestProperty("Authorization")).isNull();
    assertThat(connection.getRequestProperty("alter-grant")).isEqualTo("grt_header");
    assertThatThrownBy(connection::getRequestProperties).isInstanceOf(IllegalStateException.class);
    String logged;
    logged = log.text();
    // the JDK logged the request block it handed to the socket writer: the original one
    assertThat(logged).contains("/visible").contains("alter-grant").doesNotContain(SECRET);
  }

  @Test
  void theJdksRawTrafficCaptureGetsTheInjectedValueMasked() throws IOException {
    HttpURLConnection connection = open(allowed.url("/captured/v1/charges"));
    connection.setRequestProperty("alter-grant", "grt_header");

    assertThat(connection.getResponseCode()).isEqualTo(200);
    readBody(connection);

    assertThat(allowed.single().header("DD-API-KEY")).containsExactly(SECRET);
    StringBuilder captured = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file :
          files
              .filter(f -> f.getFileName().toString().startsWith("capture-"))
              .collect(Collectors.toList())) {
        captured.append(Files.readString(file, StandardCharsets.ISO_8859_1));
      }
    }
    assertThat(captured.toString())
        .contains("GET /captured/v1/charges", "DD-API-KEY: [REDACTED]")
        .doesNotContain(SECRET);
  }

  @Test
  void postBodiesArriveUntouchedInBufferedFixedLengthAndChunkedModes() throws IOException {
    String body = "amount=2000&currency=eur";
    for (String mode : List.of("buffered", "fixed", "chunked")) {
      allowed.received.clear();
      HttpURLConnection connection = open(allowed.url("/v1/charges"));
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setRequestProperty("alter-grant", "grt_header");
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      if (mode.equals("fixed")) {
        connection.setFixedLengthStreamingMode(bytes.length);
      } else if (mode.equals("chunked")) {
        connection.setChunkedStreamingMode(5);
      }
      try (OutputStream out = connection.getOutputStream()) {
        out.write(bytes);
      }

      assertThat(connection.getResponseCode()).as(mode).isEqualTo(200);
      LocalServer.Received received = allowed.single();
      assertThat(received.method).as(mode).isEqualTo("POST");
      assertThat(received.body).as(mode).isEqualTo(body);
      assertThat(received.header("DD-API-KEY")).as(mode).containsExactly(SECRET);
      assertThat(received.hasHeader("alter-grant")).as(mode).isFalse();
      if (mode.equals("chunked")) {
        assertThat(received.header("Transfer-Encoding")).containsExactly("chunked");
      } else {
        assertThat(received.header("Content-Length")).containsExactly(String.valueOf(bytes.length));
      }
    }
  }

  @Test
  void queryParameterInjectionRewritesOnlyTheRequestTarget() throws IOException {
    HttpURLConnection connection = open(allowed.url("/api/v1/series?from=1"));
    connection.setRequestProperty("alter-grant", "grt_query");

    assertThat(connection.getResponseCode()).isEqualTo(200);

    assertThat(allowed.single().target).isEqualTo("/api/v1/series?from=1&api_key=" + SECRET);
    assertThat(connection.getURL().toString()).doesNotContain(SECRET);
  }

  @Test
  void sameOriginRedirectHopCarriesTheCredentialAgain() throws IOException {
    allowed.redirect("/moved", allowed.url("/landed"));
    HttpURLConnection connection = open(allowed.url("/moved"));
    connection.setInstanceFollowRedirects(true);
    connection.setRequestProperty("alter-grant", "grt_header");

    assertThat(connection.getResponseCode()).isEqualTo(200);

    assertThat(allowed.received).hasSize(2);
    assertThat(allowed.received.get(1).target).isEqualTo("/landed");
    for (LocalServer.Received hop : allowed.received) {
      assertThat(hop.header("DD-API-KEY")).containsExactly(SECRET);
      assertThat(hop.hasHeader("alter-grant")).isFalse();
    }
    assertThat(injector.seen).hasSize(2);
  }

  @Test
  void crossOriginRedirectNeverCarriesTheCredentialAndNothingReachesTheOtherOrigin()
      throws IOException {
    allowed.redirect("/elsewhere", other.url("/collect"));
    HttpURLConnection connection = open(allowed.url("/elsewhere"));
    connection.setInstanceFollowRedirects(true);
    connection.setRequestProperty("alter-grant", "grt_header");

    assertThatThrownBy(connection::getResponseCode)
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> assertThat(e.code()).isEqualTo("host_not_allowed"));

    assertThat(allowed.single().header("DD-API-KEY")).containsExactly(SECRET);
    assertThat(other.received).isEmpty();
    assertThat(injector.seen).hasSize(2);
    assertThat(injector.seen.get(1).port()).isEqualTo(other.port());
  }

  @Test
  void refusedGrantFailsTheCallerAndSendsNothing() throws IOException {
    HttpURLConnection connection = open(allowed.url("/v1/charges"));
    connection.setRequestProperty("alter-grant", "grt_unknown");

    assertThatThrownBy(connection::getResponseCode)
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.code()).isEqualTo("grant_not_found");
              assertThat(e.grantId()).isEqualTo("grt_unknown");
            });
    assertThatThrownBy(connection::getInputStream).isInstanceOf(AlterCredentialException.class);
    assertThat(allowed.received).isEmpty();
  }

  @Test
  void refusedGrantInStreamingModeFailsGetOutputStreamAndSendsNothing() throws IOException {
    HttpURLConnection connection = open(other.url("/upload"));
    connection.setRequestMethod("PUT");
    connection.setDoOutput(true);
    connection.setFixedLengthStreamingMode(4);
    connection.setRequestProperty("alter-grant", "grt_header");

    assertThatThrownBy(connection::getOutputStream)
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> assertThat(e.code()).isEqualTo("host_not_allowed"));
    assertThat(other.received).isEmpty();
  }

  @Test
  void httpsConnectionsAreInjectedThroughTheSameWriter() throws IOException {
    HttpsURLConnection connection =
        (HttpsURLConnection) new URL(secure.url("/v2/events")).openConnection();
    connection.setSSLSocketFactory(tls.getSocketFactory());
    connection.setRequestProperty("alter-grant", "grt_header");
    connection.setRequestProperty("Accept", "application/json");

    assertThat(connection.getResponseCode()).isEqualTo(200);

    LocalServer.Received received = secure.single();
    assertThat(received.header("Authorization")).containsExactly("Bearer " + SECRET);
    assertThat(received.header("Accept")).containsExactly("application/json");
    assertThat(received.hasHeader("alter-grant")).isFalse();
    assertThat(injector.seen)
        .singleElement()
        .satisfies(request -> assertThat(request.scheme()).isEqualTo("https"));
    assertThat(connection.getRequestProperty("DD-API-KEY")).isNull();
  }

  @Test
  void bufferedBodyIsHandedOverAsTheBytesThatFollowTheHeaderBlock() throws IOException {
    byte[] form = "Action=SendMessage&MessageBody=hi".getBytes(StandardCharsets.UTF_8);
    HttpURLConnection connection = open(allowed.url("/queue"));
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("alter-grant", "grt_header");
    try (OutputStream out = connection.getOutputStream()) {
      out.write(form);
    }

    assertThat(connection.getResponseCode()).isEqualTo(200);

    OutgoingBody body = injector.seen.get(0).body();
    assertThat(body.kind()).isEqualTo(OutgoingBody.Kind.BYTES);
    byte[] handed = (byte[]) body.content();
    assertThat(Arrays.copyOfRange(handed, body.offset(), body.offset() + body.length()))
        .isEqualTo(form);
    assertThat(allowed.single().body).isEqualTo("Action=SendMessage&MessageBody=hi");
  }

  @Test
  void fixedLengthStreamingBodyIsAnnouncedWithItsLength() throws IOException {
    HttpURLConnection connection = open(allowed.url("/bucket/key"));
    connection.setRequestMethod("PUT");
    connection.setDoOutput(true);
    connection.setFixedLengthStreamingMode(5);
    connection.setRequestProperty("alter-grant", "grt_header");
    try (OutputStream out = connection.getOutputStream()) {
      out.write("hello".getBytes(StandardCharsets.UTF_8));
    }

    assertThat(connection.getResponseCode()).isEqualTo(200);

    OutgoingBody body = injector.seen.get(0).body();
    assertThat(body.kind()).isEqualTo(OutgoingBody.Kind.STREAMED);
    assertThat(body.declaredLength()).isEqualTo(5L);
    assertThat(allowed.single().body).isEqualTo("hello");
  }

  @Test
  void chunkedStreamingBodyIsAnnouncedWithoutALength() throws IOException {
    HttpURLConnection connection = open(allowed.url("/bucket/key"));
    connection.setRequestMethod("PUT");
    connection.setDoOutput(true);
    connection.setChunkedStreamingMode(0);
    connection.setRequestProperty("alter-grant", "grt_header");
    try (OutputStream out = connection.getOutputStream()) {
      out.write("hello".getBytes(StandardCharsets.UTF_8));
    }

    assertThat(connection.getResponseCode()).isEqualTo(200);

    OutgoingBody body = injector.seen.get(0).body();
    assertThat(body.kind()).isEqualTo(OutgoingBody.Kind.STREAMED);
    assertThat(body.declaredLength()).isEqualTo(-1L);
  }

  @Test
  void getWithoutOutputHasNoBody() throws IOException {
    HttpURLConnection connection = open(allowed.url("/bucket/key?list-type=2"));
    connection.setRequestProperty("alter-grant", "grt_header");

    assertThat(connection.getResponseCode()).isEqualTo(200);

    assertThat(injector.seen.get(0).body().kind()).isEqualTo(OutgoingBody.Kind.NONE);
  }

  private static HttpURLConnection open(String url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    connection.setConnectTimeout(5000);
    connection.setReadTimeout(5000);
    return connection;
  }

  private static String readBody(HttpURLConnection connection) throws IOException {
    try (InputStream in = connection.getInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
