package dev.alter.agent.instrumentation.okhttp;

import static dev.alter.agent.testing.ScriptedInjector.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.PreparedRequest;
import dev.alter.agent.testing.InstalledInstrumentation;
import dev.alter.agent.testing.ScriptedInjector;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.logging.HttpLoggingInterceptor;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The advice woven into this JVM's real OkHttp 4.12 classes, against MockWebServer, with a scripted
 * injector in place of the agent core. The child-JVM integration tests prove the same with the real
 * agent jar on 3.14, 4.12 and 5.x.
 */
class OkHttpAdviceTest {
  private static final String[] HOOKED_TYPES = {
    "okhttp3.internal.connection.Exchange",
    "okhttp3.internal.http1.Http1ExchangeCodec",
    "okhttp3.internal.http2.Http2ExchangeCodec",
    "okhttp3.internal.http.RetryAndFollowUpInterceptor"
  };
  private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");

  private MockWebServer server;
  private ScriptedInjector injector;
  private final List<String> appVisible = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();

  /** The advice woven in first, then the hooked classes loaded: woven as they load. */
  static InstalledInstrumentation installed() throws ClassNotFoundException {
    InstalledInstrumentation instrumentation =
        InstalledInstrumentation.of(new OkHttpInstrumentationModule());
    for (String name : HOOKED_TYPES) {
      Class.forName(name);
    }
    return instrumentation;
  }

  @BeforeAll
  static void weaveAdvice() throws Exception {
    InstalledInstrumentation instrumentation = installed();
    assertThat(instrumentation.errors).isEmpty();
    assertThat(instrumentation.transformed).contains(HOOKED_TYPES);
  }

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    useInjectorFor(server);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  @Test
  void taggedRequestGoesOutWithTheCredentialInPlaceOfThePlaceholder() throws Exception {
    server.enqueue(new MockResponse().setBody("ok"));

    try (Response response =
        client()
            .newCall(
                new Request.Builder()
                    .url(server.url("/v1/series?a=b%20c"))
                    .header("alter-grant", "grt_header")
                    .header("ALTER-IDENTITY", "eyJ.token")
                    .header("Authorization", "Bearer placeholder")
                    .header("X-Request-Id", "r-17")
                    .post(RequestBody.create("{\"series\":[]}", TEXT))
                    .build())
            .execute()) {
      assertThat(response.body().string()).isEqualTo("ok");
    }

    RecordedRequest received = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(received.getHeaders().values("Authorization")).containsExactly("Bearer " + SECRET);
    assertThat(received.getHeader("DD-API-KEY")).isEqualTo(SECRET);
    assertThat(received.getHeader("alter-grant")).isNull();
    assertThat(received.getHeader("alter-identity")).isNull();
    assertThat(received.getHeader("X-Request-Id")).isEqualTo("r-17");
    assertThat(received.getPath()).isEqualTo("/v1/series?a=b%20c");
    assertThat(received.getBody().readUtf8()).isEqualTo("{\"series\":[]}");

    assertThat(injector.seen)
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.method()).isEqualTo("POST");
              assertThat(request.scheme()).isEqualTo("http");
              assertThat(request.host()).isEqualTo(server.getHostName());
              assertThat(request.port()).isEqualTo(server.getPort());
              assertThat(request.pathAndQuery()).isEqualTo("/v1/series?a=b%20c");
              assertThat(request.firstHeader("Authorization")).isEqualTo("Bearer placeholder");
            });
  }

  @Test
  void untaggedRequestIsWrittenAsTheApplicationBuiltIt() throws Exception {
    server.enqueue(new MockResponse());

    client()
        .newCall(
            new Request.Builder()
                .url(server.url("/plain"))
                .header("Authorization", "Bearer app-own-token")
                .build())
        .execute()
        .close();

    RecordedRequest received = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(received.getHeader("Authorization")).isEqualTo("Bearer app-own-token");
    assertThat(received.getHeader("DD-API-KEY")).isNull();
    assertThat(injector.seen).isEmpty();
  }

  @Test
  void credentialNeverReachesAnythingTheApplicationCanSee() throws Exception {
    server.enqueue(new MockResponse());
    List<String> logLines = new CopyOnWriteArrayList<>();
    HttpLoggingInterceptor logging = new HttpLoggingInterceptor(logLines::add);
    logging.setLevel(HttpLoggingInterceptor.Level.HEADERS);

    OkHttpClient client =
        client()
            .newBuilder()
            .addInterceptor(
                chain -> {
                  appVisible.add("application interceptor: " + chain.request().headers());
                  return chain.proceed(chain.request());
                })
            .addNetworkInterceptor(
                chain -> {
                  appVisible.add("network interceptor: " + chain.request().headers());
                  return chain.proceed(chain.request());
                })
            .addNetworkInterceptor(logging)
            .build();

    try (Response response = client.newCall(tagged("/visible", "grt_header")).execute()) {
      appVisible.add(
          "response.request: " + response.request().headers() + response.request().url());
      appVisible.add(
          "networkResponse.request: "
              + response.networkResponse().request().headers()
              + response.networkResponse().request().url());
    }

    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeader("DD-API-KEY")).isEqualTo(SECRET);
    assertThat(logLines).anySatisfy(line -> assertThat(line).containsIgnoringCase("alter-grant"));
    assertThat(events).contains("requestHeadersStart", "requestHeadersEnd");
    assertThat(appVisible)
        .hasSizeGreaterThanOrEqualTo(5)
        .allSatisfy(seen -> assertThat(seen).doesNotContain(SECRET));
    assertThat(logLines).allSatisfy(line -> assertThat(line).doesNotContain(SECRET));
  }

  @Test
  void failedRewriteFailsTheCallOnceAndSendsNothing() throws Exception {
    server.enqueue(new MockResponse());
    OkHttpClient client = client();

    AlterCredentialException failure =
        catchThrowableOfType(
            () -> client.newCall(tagged("/denied", "grt_unknown")).execute(),
            AlterCredentialException.class);

    assertThat(failure.code()).isEqualTo("grant_not_found");
    assertThat(failure.grantId()).isEqualTo("grt_unknown");
    assertThat(injector.seen).hasSize(1);
    assertThat(server.getRequestCount()).isZero();
    assertThat(events).contains("callFailed").doesNotContain("requestHeadersStart");

    try (Response next = client.newCall(tagged("/after", "grt_header")).execute()) {
      assertThat(next.code()).isEqualTo(200);
    }
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getPath()).isEqualTo("/after");
  }

  @Test
  void preparedCopyDoesNotOutliveAHeaderWriteThatNeverHappened() throws Exception {
    server.enqueue(new MockResponse());
    AtomicReference<Request> networkRequest = new AtomicReference<>();
    OkHttpClient client =
        new OkHttpClient.Builder()
            .addNetworkInterceptor(
                chain -> {
                  networkRequest.set(chain.request());
                  return chain.proceed(chain.request());
                })
            .eventListener(
                new EventListener() {
                  @Override
                  public void requestHeadersStart(Call call) {
                    throw new IllegalStateException(
                        "listener failure between the decision and the write");
                  }
                })
            .build();

    IllegalStateException failure =
        catchThrowableOfType(
            () -> client.newCall(tagged("/listener", "grt_header")).execute(),
            IllegalStateException.class);

    assertThat(failure).hasMessageContaining("listener failure");

    // execute() ran the interceptors on this thread: the hand-off slot must be empty again
    assertThat(injector.seen).hasSize(1);
    assertThat(PreparedRequest.replacementFor(networkRequest.get())).isNull();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void enqueuedCallReportsTheFailureToOnFailure() throws Exception {
    CompletableFuture<IOException> reported = new CompletableFuture<>();
    client()
        .newCall(tagged("/async", "grt_unknown"))
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call call, IOException e) {
                reported.complete(e);
              }

              @Override
              public void onResponse(Call call, Response response) {
                response.close();
                reported.completeExceptionally(new AssertionError("the call must not succeed"));
              }
            });

    assertThat(reported.get(10, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            AlterCredentialException.class, e -> assertThat(e.code()).isEqualTo("grant_not_found"));
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void queryInjectionChangesOnlyTheTargetOnTheWire() throws Exception {
    server.enqueue(new MockResponse());

    try (Response response = client().newCall(tagged("/v2/check?x=1", "grt_query")).execute()) {
      assertThat(response.request().url().toString()).doesNotContain(SECRET);
    }

    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getPath())
        .isEqualTo("/v2/check?x=1&api_key=" + SECRET);
  }

  @Test
  void sameOriginRedirectKeepsTheCredentialAndOtherOriginGetsNothing() throws Exception {
    try (MockWebServer elsewhere = new MockWebServer()) {
      elsewhere.start();
      server.enqueue(new MockResponse().setResponseCode(302).addHeader("Location", "/second"));
      server.enqueue(
          new MockResponse().setResponseCode(302).addHeader("Location", elsewhere.url("/third")));
      elsewhere.enqueue(new MockResponse());

      IOException failure =
          catchThrowableOfType(
              () -> client().newCall(tagged("/first", "grt_header")).execute(), IOException.class);

      assertThat(failure)
          .isInstanceOfSatisfying(
              AlterCredentialException.class,
              e -> assertThat(e.code()).isEqualTo("host_not_allowed"));
      assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeader("DD-API-KEY")).isEqualTo(SECRET);
      RecordedRequest second = server.takeRequest(5, TimeUnit.SECONDS);
      assertThat(second.getPath()).isEqualTo("/second");
      assertThat(second.getHeader("DD-API-KEY")).isEqualTo(SECRET);
      assertThat(elsewhere.getRequestCount()).isZero();
    }
  }

  @Test
  void http2OverTlsCarriesTheCredentialOnlyInTheHeadersFrame() throws Exception {
    HeldCertificate localhost =
        new HeldCertificate.Builder().addSubjectAlternativeName(server.getHostName()).build();
    HandshakeCertificates serverCertificates =
        new HandshakeCertificates.Builder().heldCertificate(localhost).build();
    HandshakeCertificates clientCertificates =
        new HandshakeCertificates.Builder().addTrustedCertificate(localhost.certificate()).build();
    server.shutdown();
    server = new MockWebServer();
    server.useHttps(serverCertificates.sslSocketFactory(), false);
    server.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
    server.start();
    useInjectorFor(server);
    server.enqueue(new MockResponse().setBody("h2"));

    OkHttpClient client =
        client()
            .newBuilder()
            .sslSocketFactory(
                clientCertificates.sslSocketFactory(), clientCertificates.trustManager())
            .build();
    try (Response response =
        client
            .newCall(
                new Request.Builder()
                    .url(server.url("/h2?q=1"))
                    .header("alter-grant", "grt_header")
                    .header("Authorization", "Bearer placeholder")
                    .build())
            .execute()) {
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(response.request().headers().toString()).doesNotContain(SECRET);
      assertThat(response.networkResponse().request().headers().toString()).doesNotContain(SECRET);
    }

    RecordedRequest received = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(received.getHeaders().values("authorization")).containsExactly("Bearer " + SECRET);
    assertThat(received.getHeader("dd-api-key")).isEqualTo(SECRET);
    assertThat(received.getHeader("alter-grant")).isNull();
    assertThat(received.getPath()).isEqualTo("/h2?q=1");
    assertThat(injector.seen)
        .singleElement()
        .satisfies(request -> assertThat(request.scheme()).isEqualTo("https"));
  }

  private void useInjectorFor(MockWebServer target) {
    HttpUrl url = target.url("/");
    injector = ScriptedInjector.allowingHost(url.host(), url.port()).installed();
  }

  private Request tagged(String path, String grant) {
    return new Request.Builder().url(server.url(path)).header("alter-grant", grant).build();
  }

  private OkHttpClient client() {
    return new OkHttpClient.Builder()
        .eventListener(
            new EventListener() {
              @Override
              public void requestHeadersStart(Call call) {
                events.add("requestHeadersStart");
              }

              @Override
              public void requestHeadersEnd(Call call, Request request) {
                events.add("requestHeadersEnd");
                appVisible.add(
                    "EventListener.requestHeadersEnd: " + request.headers() + request.url());
              }

              @Override
              public void callFailed(Call call, IOException ioe) {
                events.add("callFailed");
              }
            })
        .build();
  }
}
