package dev.alter.agent.instrumentation.apache.httpclient5;

import static dev.alter.agent.testing.ScriptedInjector.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.testing.InstalledInstrumentation;
import dev.alter.agent.testing.ScriptedInjector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Apache async client (HTTP/1.1 and HTTP/2) through the real hooks, in-process. */
class AsyncClientInjectionTest {
  private static InstalledInstrumentation instrumentation;
  private ScriptedInjector injector;
  private final List<List<String>> interceptorSaw = new ArrayList<>();

  @BeforeAll
  static void weave() {
    instrumentation = InstalledInstrumentation.of(new ApacheHttpClient5InstrumentationModule());
  }

  @BeforeEach
  void start() {
    injector = ScriptedInjector.allowingHost("127.0.0.1").installed();
  }

  @AfterEach
  void noWeavingErrors() {
    assertThat(instrumentation.errors).isEmpty();
  }

  @Test
  void http1TaggedRequestIsInjectedAndInvisibleToTheApplication() throws Exception {
    try (RecordingHttp1Server server = new RecordingHttp1Server();
        CloseableHttpAsyncClient client = http1Client()) {
      SimpleHttpRequest request =
          SimpleRequestBuilder.get(server.url("/v1/x?y=1"))
              .addHeader("Authorization", "Bearer placeholder")
              .addHeader("alter-grant", "grt_bearer")
              .addHeader("X-Trace", "abc")
              .build();
      HttpClientContext context = HttpClientContext.create();

      SimpleHttpResponse response =
          client.execute(request, context, null).get(10, TimeUnit.SECONDS);

      assertThat(response.getCode()).isEqualTo(200);
      RecordingHttp1Server.Received received = server.received.get(0);
      assertThat(received.requestLine()).isEqualTo("GET /v1/x?y=1 HTTP/1.1");
      assertThat(received.values("Authorization")).containsExactly("Bearer " + SECRET);
      assertThat(received.values("X-Trace")).containsExactly("abc");
      assertThat(received.values("alter-grant")).isEmpty();
      assertThat(injector.seen.get(0).port()).isEqualTo(server.port());
      assertThat(headerLines(request))
          .contains("alter-grant: grt_bearer")
          .noneMatch(l -> l.contains(SECRET));
      assertThat(headerLines(context.getRequest())).noneMatch(l -> l.contains(SECRET));
      assertThat(interceptorSaw)
          .singleElement()
          .satisfies(lines -> assertThat(lines).noneMatch(l -> l.contains(SECRET)));
    }
  }

  @Test
  void http1RefusalFailsTheFutureWithTheCodeAndSendsNothing() throws Exception {
    try (RecordingHttp1Server server = new RecordingHttp1Server();
        CloseableHttpAsyncClient client = http1Client()) {
      SimpleHttpRequest request =
          SimpleRequestBuilder.get(server.url("/v1/x"))
              .addHeader("alter-grant", "grt_revoked")
              .build();

      assertThatThrownBy(() -> client.execute(request, null).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              AlterCredentialException.class,
              e -> assertThat(e.grantId()).isEqualTo("grt_revoked"));
      assertThat(server.received).isEmpty();
      assertThat(injector.seen).hasSize(1);
    }
  }

  @Test
  void http2TaggedRequestIsInjectedLowerCaseAndInvisibleToTheApplication() throws Exception {
    try (RecordingH2Server server = new RecordingH2Server();
        CloseableHttpAsyncClient client = http2Client()) {
      SimpleHttpRequest request =
          SimpleRequestBuilder.get(server.url("/v1/series"))
              .addHeader("alter-grant", "grt_dd")
              .addHeader("alter-identity", "user-token")
              .addHeader("x-trace", "abc")
              .build();
      HttpClientContext context = HttpClientContext.create();

      SimpleHttpResponse response =
          client.execute(request, context, null).get(10, TimeUnit.SECONDS);

      assertThat(response.getCode()).isEqualTo(200);
      HttpRequest received = server.received.get(0);
      assertThat(received.getPath()).isEqualTo("/v1/series");
      assertThat(headerLines(received))
          .contains("dd-api-key: " + SECRET, "x-trace: abc")
          .noneMatch(l -> l.startsWith("alter-"));
      // the server's HPACK decoder saw a never-indexed literal: the encoder kept it out of both
      // tables
      assertThat(received.getFirstHeader("dd-api-key").isSensitive()).isTrue();
      assertThat(received.getFirstHeader("x-trace").isSensitive()).isFalse();
      assertThat(injector.seen.get(0).host()).isEqualTo("127.0.0.1");
      assertThat(injector.seen.get(0).port()).isEqualTo(server.port());
      assertThat(injector.seen.get(0).headerNames()).noneMatch(n -> n.startsWith(":"));
      assertThat(headerLines(context.getRequest())).noneMatch(l -> l.contains(SECRET));
    }
  }

  @Test
  void http2QueryParameterInjectionRewritesOnlyThePath() throws Exception {
    try (RecordingH2Server server = new RecordingH2Server();
        CloseableHttpAsyncClient client = http2Client()) {
      SimpleHttpRequest request =
          SimpleRequestBuilder.get(server.url("/v1/q?a=b"))
              .addHeader("alter-grant", "grt_query")
              .build();

      client.execute(request, null).get(10, TimeUnit.SECONDS);

      assertThat(server.received.get(0).getPath()).isEqualTo("/v1/q?a=b&api_key=" + SECRET);
      assertThat(request.getPath()).isEqualTo("/v1/q?a=b");
    }
  }

  @Test
  void http2RefusalFailsTheFutureWithTheCodeAndSendsNothing() throws Exception {
    try (RecordingH2Server server = new RecordingH2Server();
        CloseableHttpAsyncClient client = http2Client()) {
      SimpleHttpRequest request =
          SimpleRequestBuilder.get(server.url("/v1/x"))
              .addHeader("alter-grant", "grt_unknown")
              .build();

      assertThatThrownBy(() -> client.execute(request, null).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              AlterCredentialException.class,
              e -> assertThat(e.code()).isEqualTo("grant_not_found"));
      assertThat(server.received).isEmpty();
    }
  }

  private CloseableHttpAsyncClient http1Client() {
    CloseableHttpAsyncClient client =
        HttpAsyncClients.custom()
            .addRequestInterceptorLast(
                (request, entity, context) -> interceptorSaw.add(headerLines(request)))
            .build();
    client.start();
    return client;
  }

  private CloseableHttpAsyncClient http2Client() {
    CloseableHttpAsyncClient client = HttpAsyncClients.createHttp2Default();
    client.start();
    return client;
  }

  static List<String> headerLines(HttpRequest request) {
    List<String> lines = new ArrayList<>();
    for (Header header : request.getHeaders()) {
      lines.add(header.getName() + ": " + header.getValue());
    }
    return lines;
  }
}
