package dev.alter.agent.instrumentation.apache.httpclient5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.injection.aws.BodyNotHashable;
import dev.alter.agent.testing.InstalledInstrumentation;
import dev.alter.agent.testing.ScriptedInjector;
import dev.alter.contract.Hex;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
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
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each write hook tells the agent core about the body, so a signer (AWS SigV4) can hash it:
 * the classic client hands over its own repeatable entity, a one-shot stream is announced as
 * streamed; the async clients (HTTP/1.1 and HTTP/2) hand over the entity producer their stream
 * handler committed, which reads at the hook to the body's SHA-256 when it is repeatable and is
 * still sent whole.
 */
class RequestBodyHandOffTest {
  private static InstalledInstrumentation instrumentation;
  private static final byte[] FORM =
      "Action=SendMessage&MessageBody=hi".getBytes(StandardCharsets.UTF_8);
  private static final String TEXT = "{\"gr\u00fc\u00dfe\": \"\u2603\"}".repeat(800);

  private ScriptedInjector injector;

  /** What reading each handed-over body at the hook gave: a SHA-256, or why not. */
  private final List<String> reads = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void weave() {
    instrumentation = InstalledInstrumentation.of(new ApacheHttpClient5InstrumentationModule());
  }

  @BeforeEach
  void start() {
    injector = ScriptedInjector.allowingHost("127.0.0.1");
    AsyncEntityProducerReader reader = new AsyncEntityProducerReader();
    AlterBridge.install(
        request -> {
          OutgoingBody body = request.body();
          if (body.kind() == OutgoingBody.Kind.NONE) {
            reads.add("no body");
          } else if (OutgoingBody.APACHE5_ASYNC.equals(body.family())) {
            try {
              reads.add(reader.sha256Hex(body.content(), 1024 * 1024));
            } catch (BodyNotHashable refused) {
              reads.add(refused.getMessage());
            }
          }
          return injector.rewrite(request);
        });
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
  void asyncHttp1ProducerIsHandedOverAndReadableWithoutConsumingIt() throws Exception {
    try (RecordingHttp1Server server = new RecordingHttp1Server();
        CloseableHttpAsyncClient client = HttpAsyncClients.createDefault()) {
      client.start();
      sendAsync(client, server.url("/queue"), "grt_bearer");

      assertAsyncBodiesHandedOver("grt_bearer");
      assertThat(server.received.get(0).body).isEqualTo(FORM);
      assertThat(server.received.get(1).body).isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8));
      assertThat(server.received.get(2).body).isEqualTo(FORM);
    }
  }

  @Test
  void asyncHttp2ProducerIsHandedOverAndReadableWithoutConsumingIt() throws Exception {
    try (RecordingH2Server server = new RecordingH2Server();
        CloseableHttpAsyncClient client = HttpAsyncClients.createHttp2Default()) {
      client.start();
      sendAsync(client, server.url("/queue"), "grt_dd");

      assertAsyncBodiesHandedOver("grt_dd");
    }
  }

  /**
   * A byte-array body, a text body of several buffers, a one-shot producer, and a GET; the injector
   * reads each body it is handed as the AWS signer would, at the hook.
   */
  private void sendAsync(CloseableHttpAsyncClient client, String url, String grant)
      throws Exception {
    client
        .execute(
            SimpleRequestBuilder.post(url)
                .addHeader("alter-grant", grant)
                .setBody(FORM, ContentType.APPLICATION_FORM_URLENCODED)
                .build(),
            null)
        .get(10, TimeUnit.SECONDS);
    client
        .execute(
            SimpleRequestBuilder.put(url)
                .addHeader("alter-grant", grant)
                .setBody(TEXT, ContentType.APPLICATION_JSON)
                .build(),
            null)
        .get(10, TimeUnit.SECONDS);
    SimpleHttpRequest oneShot =
        SimpleRequestBuilder.put(url).addHeader("alter-grant", grant).build();
    client
        .execute(
            new BasicRequestProducer(
                oneShot,
                new BasicAsyncEntityProducer(FORM, ContentType.APPLICATION_OCTET_STREAM) {
                  @Override
                  public boolean isRepeatable() {
                    return false;
                  }
                }),
            SimpleResponseConsumer.create(),
            null)
        .get(10, TimeUnit.SECONDS);
    client
        .execute(SimpleRequestBuilder.get(url).addHeader("alter-grant", grant).build(), null)
        .get(10, TimeUnit.SECONDS);
  }

  private void assertAsyncBodiesHandedOver(String grant) throws Exception {
    assertThat(reads).hasSize(4);
    for (int i = 0; i < 3; i++) {
      assertThat(injector.seen.get(i).body().kind()).isEqualTo(OutgoingBody.Kind.CLIENT_OBJECT);
      assertThat(injector.seen.get(i).body().family()).isEqualTo(OutgoingBody.APACHE5_ASYNC);
    }
    assertThat(reads.get(0)).isEqualTo(sha256(FORM));
    assertThat(reads.get(1)).isEqualTo(sha256(TEXT.getBytes(StandardCharsets.UTF_8)));
    assertThat(reads.get(2))
        .isEqualTo(
            "the body is a one-shot stream (Apache HttpClient 5 async entity producer is not"
                + " repeatable)");
    assertThat(injector.seen.get(3).body().kind()).isEqualTo(OutgoingBody.Kind.NONE);
    assertThat(reads.get(3)).isEqualTo("no body");
  }

  private static String sha256(byte[] bytes) throws Exception {
    return Hex.encode(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static void execute(CloseableHttpClient client, ClassicHttpRequest request)
      throws Exception {
    client.execute(request, response -> EntityUtils.toString(response.getEntity()));
  }
}
