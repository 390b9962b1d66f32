package dev.alter.agent.instrumentation.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.testing.InstalledInstrumentation;
import dev.alter.agent.testing.ScriptedInjector;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write hook hands the agent core the request's own {@link RequestBody} (so a signer can hash
 * it through OkHttp's API) without reading it, and says "no body" for a GET.
 */
class OkHttpRequestBodyHandOffTest {
  private MockWebServer server;
  private ScriptedInjector injector;

  @BeforeAll
  static void weaveAdvice() throws Exception {
    InstalledInstrumentation instrumentation = OkHttpAdviceTest.installed();
    assertThat(instrumentation.errors).isEmpty();
  }

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    HttpUrl url = server.url("/");
    injector = ScriptedInjector.allowingHost(url.host(), url.port()).installed();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  @Test
  void postHandsOverTheApplicationsRequestBodyObjectUnread() throws Exception {
    server.enqueue(new MockResponse());
    RequestBody body =
        RequestBody.create(
            "Action=SendMessage&MessageBody=hi",
            MediaType.get("application/x-www-form-urlencoded"));

    try (Response response =
        new OkHttpClient()
            .newCall(
                new Request.Builder()
                    .url(server.url("/queue"))
                    .header("alter-grant", "grt_header")
                    .post(body)
                    .build())
            .execute()) {
      assertThat(response.code()).isEqualTo(200);
    }

    OutgoingBody handed = onlyRequestSeen().body();
    assertThat(handed.kind()).isEqualTo(OutgoingBody.Kind.CLIENT_OBJECT);
    assertThat(handed.family()).isEqualTo(OutgoingBody.OKHTTP);
    assertThat(handed.content()).isSameAs(body);
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getBody().readUtf8())
        .isEqualTo("Action=SendMessage&MessageBody=hi");
  }

  @Test
  void getWithoutBodyIsHandedOverAsNone() throws Exception {
    server.enqueue(new MockResponse());

    new OkHttpClient()
        .newCall(
            new Request.Builder()
                .url(server.url("/bucket/key"))
                .header("alter-grant", "grt_header")
                .build())
        .execute()
        .close();

    assertThat(onlyRequestSeen().body().kind()).isEqualTo(OutgoingBody.Kind.NONE);
  }

  private OutgoingRequest onlyRequestSeen() {
    assertThat(injector.seen).hasSize(1);
    return injector.seen.get(0);
  }
}
