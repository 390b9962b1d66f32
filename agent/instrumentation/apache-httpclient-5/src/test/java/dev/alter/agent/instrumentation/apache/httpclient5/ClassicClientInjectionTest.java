package dev.alter.agent.instrumentation.apache.httpclient5;

import static dev.alter.agent.testing.ScriptedInjector.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.testing.InstalledInstrumentation;
import dev.alter.agent.testing.ScriptedInjector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Apache classic client through the real hooks, in-process, against a recording HTTP/1.1 server.
 */
class ClassicClientInjectionTest {
  private static InstalledInstrumentation instrumentation;
  private ScriptedInjector injector;
  private RecordingHttp1Server server;
  private final List<List<String>> interceptorSaw = new ArrayList<>();
  private CloseableHttpClient client;

  @BeforeAll
  static void weave() {
    instrumentation = InstalledInstrumentation.of(new ApacheHttpClient5InstrumentationModule());
  }

  @BeforeEach
  void start() throws Exception {
    injector = ScriptedInjector.allowingHost("127.0.0.1").installed();
    server = new RecordingHttp1Server();
    client =
        HttpClients.custom()
            .addRequestInterceptorLast(
                (HttpRequest request,
                    org.apache.hc.core5.http.EntityDetails entity,
                    org.apache.hc.core5.http.protocol.HttpContext context) ->
                    interceptorSaw.add(headerLines(request)))
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
    assertThat(instrumentation.errors).isEmpty();
  }

  @Test
  void taggedRequestGetsTheTemplateHeaderAndLosesTheAlterHeaders() throws Exception {
    HttpGet get = new HttpGet(server.url("/v1/series?from=1"));
    get.addHeader("alter-grant", "grt_dd");
    get.addHeader("Alter-Identity", "user-token");
    get.addHeader("X-Trace", "abc");

    assertThat(execute(get)).isEqualTo("ok");

    RecordingHttp1Server.Received received = server.received.get(0);
    assertThat(received.requestLine()).isEqualTo("GET /v1/series?from=1 HTTP/1.1");
    assertThat(received.values("DD-API-KEY")).containsExactly(SECRET);
    assertThat(received.values("X-Trace")).containsExactly("abc");
    assertThat(received.values("alter-grant")).isEmpty();
    assertThat(received.values("alter-identity")).isEmpty();
    OutgoingRequest asked = injector.seen.get(0);
    assertThat(asked.scheme()).isEqualTo("http");
    assertThat(asked.host()).isEqualTo("127.0.0.1");
    assertThat(asked.port()).isEqualTo(server.port());
    assertThat(asked.pathAndQuery()).isEqualTo("/v1/series?from=1");
  }

  @Test
  void placeholderAuthorizationIsReplacedAndTheBodyIsUntouched() throws Exception {
    byte[] body = "{\"model\":\"x\",\"n\":1}".getBytes(StandardCharsets.UTF_8);
    HttpPost post = new HttpPost(server.url("/v1/chat"));
    post.addHeader("Authorization", "Bearer placeholder");
    post.addHeader("alter-grant", "grt_bearer");
    post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));

    execute(post);

    RecordingHttp1Server.Received received = server.received.get(0);
    assertThat(received.values("Authorization")).containsExactly("Bearer " + SECRET);
    assertThat(received.values("Content-Type")).containsExactly("application/json; charset=UTF-8");
    assertThat(received.body).isEqualTo(body);
  }

  @Test
  void untaggedRequestNeverReachesTheInjector() throws Exception {
    HttpGet get = new HttpGet(server.url("/plain"));
    get.addHeader("Authorization", "Bearer app-own");

    execute(get);

    assertThat(injector.seen).isEmpty();
    assertThat(server.received.get(0).values("Authorization")).containsExactly("Bearer app-own");
  }

  @Test
  void credentialIsNeverVisibleToTheApplication() throws Exception {
    HttpGet get = new HttpGet(server.url("/v1/x"));
    get.addHeader("Authorization", "Bearer placeholder");
    get.addHeader("alter-grant", "grt_bearer");
    HttpClientContext context = HttpClientContext.create();

    client.execute(get, context, response -> EntityUtils.toString(response.getEntity()));

    assertThat(server.received.get(0).values("Authorization")).containsExactly("Bearer " + SECRET);
    assertThat(headerLines(get))
        .contains("alter-grant: grt_bearer")
        .noneMatch(l -> l.contains(SECRET));
    assertThat(headerLines(context.getRequest()))
        .contains("alter-grant: grt_bearer")
        .noneMatch(l -> l.contains(SECRET));
    assertThat(interceptorSaw)
        .singleElement()
        .satisfies(lines -> assertThat(lines).noneMatch(l -> l.contains(SECRET)));
  }

  @Test
  void destinationIsTheHostDialledNotTheRequestAuthority() throws Exception {
    injector = ScriptedInjector.allowingHost("api.datadoghq.com").installed();
    HttpGet get = new HttpGet("http://api.datadoghq.com/v1/validate");
    get.addHeader("alter-grant", "grt_dd");

    assertThatThrownBy(
            () ->
                client.execute(
                    new HttpHost("http", "127.0.0.1", server.port()),
                    get,
                    response -> EntityUtils.toString(response.getEntity())))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> assertThat(e.code()).isEqualTo("host_not_allowed"));

    assertThat(injector.seen)
        .singleElement()
        .satisfies(r -> assertThat(r.host()).isEqualTo("127.0.0.1"));
    assertThat(server.received).isEmpty();
  }

  @Test
  void refusedRequestFailsWithItsCodeSendsNothingAndIsNotRetried() {
    HttpGet get = new HttpGet(server.url("/v1/x"));
    get.addHeader("alter-grant", "grt_unknown");

    assertThatThrownBy(() -> execute(get))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.code()).isEqualTo("grant_not_found");
              assertThat(e.grantId()).isEqualTo("grt_unknown");
            });

    assertThat(server.received).isEmpty();
    assertThat(injector.seen).hasSize(1);
  }

  @Test
  void sameOriginRedirectKeepsTheCredentialOnEveryHop() throws Exception {
    server.redirect("/start", "/final");
    HttpGet get = new HttpGet(server.url("/start"));
    get.addHeader("alter-grant", "grt_dd");

    execute(get);

    assertThat(server.received)
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(r.values("DD-API-KEY")).containsExactly(SECRET);
              assertThat(r.values("alter-grant")).isEmpty();
            });
  }

  @Test
  void crossOriginRedirectNeverCarriesTheCredential() throws Exception {
    try (RecordingHttp1Server other = new RecordingHttp1Server()) {
      server.redirect("/start", "http://localhost:" + other.port() + "/elsewhere");
      HttpGet get = new HttpGet(server.url("/start"));
      get.addHeader("alter-grant", "grt_dd");

      assertThatThrownBy(() -> execute(get))
          .isInstanceOfSatisfying(
              AlterCredentialException.class,
              e -> assertThat(e.code()).isEqualTo("host_not_allowed"));

      assertThat(server.received)
          .singleElement()
          .satisfies(r -> assertThat(r.values("DD-API-KEY")).containsExactly(SECRET));
      assertThat(other.received).isEmpty();
      assertThat(injector.seen.get(1).host()).isEqualTo("localhost");
    }
  }

  private String execute(ClassicHttpRequest request) throws Exception {
    return client.execute(request, response -> EntityUtils.toString(response.getEntity()));
  }

  static List<String> headerLines(HttpRequest request) {
    List<String> lines = new ArrayList<>();
    for (Header header : request.getHeaders()) {
      lines.add(header.getName() + ": " + header.getValue());
    }
    return lines;
  }
}
