package dev.alter.agent.instrumentation.apache.httpclient5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.testing.InstalledInstrumentation;
import dev.alter.agent.testing.ScriptedInjector;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each write hook tells the agent core about the body, so a signer (AWS SigV4) can hash it:
 * the classic client hands over its own repeatable entity; a one-shot stream and the async clients
 * (whose producer the writer cannot reach) are announced as streamed, with their length when the
 * header block declares one.
 */
class RequestBodyHandOffTest {
  private static InstalledInstrumentation instrumentation;
  private static final byte[] FORM =
      "Action=SendMessage&MessageBody=hi".getBytes(StandardCharsets.UTF_8);

  private ScriptedInjector injector;

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
  void classicRepeatableEntityIsHandedOverAsTheClientsOwnObject() throws Exception {
    ByteArrayEntity entity = new ByteArrayEntity(FORM, ContentType.APPLICATION_FORM_URLENCODED);
    try (RecordingHttp1Server server = new RecordingHttp1Server();
        CloseableHttpClient client = HttpClients.createDefault()) {
      HttpPost post = new HttpPost(server.url("/queue"));
      post.addHeader("alter-grant", "grt_bearer");
      post.setEntity(entity);

      execute(client, post);

      OutgoingBody body = injector.seen.get(0).body();
      assertThat(body.kind()).isEqualTo(OutgoingBody.Kind.CLIENT_OBJECT);
      assertThat(body.family()).isEqualTo(OutgoingBody.APACHE5);
      assertThat(body.content()).isSameAs(entity);
      assertThat(server.received.get(0).body).isEqualTo(FORM);
    }
  }

  @Test
  void classicOneShotStreamIsAnnouncedAsStreamedAndStillSentWhole() throws Exception {
    try (RecordingHttp1Server server = new RecordingHttp1Server();
        CloseableHttpClient client = HttpClients.createDefault()) {
      HttpPut put = new HttpPut(server.url("/bucket/key"));
      put.addHeader("alter-grant", "grt_bearer");
      put.setEntity(
          new InputStreamEntity(
              new ByteArrayInputStream(FORM), FORM.length, ContentType.TEXT_PLAIN));

      execute(client, put);

      OutgoingBody body = injector.seen.get(0).body();
      assertThat(body.kind()).isEqualTo(OutgoingBody.Kind.STREAMED);
      assertThat(body.declaredLength()).isEqualTo(FORM.length);
      assertThat(server.received.get(0).body).isEqualTo(FORM);
    }
  }

  @Test
  void classicGetHasNoBody() throws Exception {
    try (RecordingHttp1Server server = new RecordingHttp1Server();
        CloseableHttpClient client = HttpClients.createDefault()) {
      HttpGet get = new HttpGet(server.url("/bucket/key"));
      get.addHeader("alter-grant", "grt_bearer");

      execute(client, get);

      assertThat(injector.seen.get(0).body().kind()).isEqualTo(OutgoingBody.Kind.NONE);
    }
  }

  @Test
  void asyncHttp1BodyIsAnnouncedWithItsLengthAndGetHasNone() throws Exception {
    try (RecordingHttp1Server server = new RecordingHttp1Server();
        CloseableHttpAsyncClient client = HttpAsyncClients.createDefault()) {
      client.start();
      client
          .execute(
              SimpleRequestBuilder.post(server.url("/queue"))
                  .addHeader("alter-grant", "grt_bearer")
                  .setBody(FORM, ContentType.APPLICATION_FORM_URLENCODED)
                  .build(),
              null)
          .get(10, TimeUnit.SECONDS);
      client
          .execute(
              SimpleRequestBuilder.get(server.url("/bucket/key"))
                  .addHeader("alter-grant", "grt_bearer")
                  .build(),
              null)
          .get(10, TimeUnit.SECONDS);

      assertThat(injector.seen).hasSize(2);
      assertThat(injector.seen.get(0).body().kind()).isEqualTo(OutgoingBody.Kind.STREAMED);
      assertThat(injector.seen.get(0).body().declaredLength()).isEqualTo(FORM.length);
      assertThat(injector.seen.get(1).body().kind()).isEqualTo(OutgoingBody.Kind.NONE);
      assertThat(server.received.get(0).body).isEqualTo(FORM);
    }
  }

  @Test
  void asyncHttp2BodyOfUnannouncedLengthIsUnknownAndGetHasNone() throws Exception {
    try (RecordingH2Server server = new RecordingH2Server();
        CloseableHttpAsyncClient client = HttpAsyncClients.createHttp2Default()) {
      client.start();
      SimpleHttpRequest post =
          SimpleRequestBuilder.post(server.url("/queue"))
              .addHeader("alter-grant", "grt_dd")
              .setBody(FORM, ContentType.APPLICATION_FORM_URLENCODED)
              .build();
      client.execute(post, null).get(10, TimeUnit.SECONDS);
      client
          .execute(
              SimpleRequestBuilder.get(server.url("/bucket/key"))
                  .addHeader("alter-grant", "grt_dd")
                  .build(),
              null)
          .get(10, TimeUnit.SECONDS);

      // HTTP/2 sends no content-length for this body and the encoder cannot see the producer
      assertThat(injector.seen).hasSize(2);
      assertThat(injector.seen.get(0).body().kind()).isEqualTo(OutgoingBody.Kind.UNKNOWN);
      assertThat(injector.seen.get(1).body().kind()).isEqualTo(OutgoingBody.Kind.NONE);
    }
  }

  private static void execute(CloseableHttpClient client, ClassicHttpRequest request)
      throws Exception {
    client.execute(request, response -> EntityUtils.toString(response.getEntity()));
  }
}
