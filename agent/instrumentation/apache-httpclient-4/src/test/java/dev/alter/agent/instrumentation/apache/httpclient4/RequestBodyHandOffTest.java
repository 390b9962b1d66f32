package dev.alter.agent.instrumentation.apache.httpclient4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.testing.InstalledInstrumentation;
import dev.alter.agent.testing.LocalServer;
import dev.alter.agent.testing.ScriptedInjector;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpPut;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.InputStreamEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the write hook tells the agent core about the body, so a signer (AWS SigV4) can hash it: a
 * repeatable entity is handed over as the client's own object, a one-shot stream (which the exec
 * chain wraps in its proxy) only by its length, and a GET as having none.
 */
class RequestBodyHandOffTest {
  private static final byte[] FORM =
      "Action=SendMessage&MessageBody=hi".getBytes(StandardCharsets.UTF_8);

  private LocalServer server;
  private ScriptedInjector injector;
  private CloseableHttpClient client;

  @BeforeAll
  static void weave() {
    InstalledInstrumentation.of(
        new ApacheHttpClient4InstrumentationModule(), ApacheHttpClient4InjectionTest.HOOKED_TYPES);
  }

  @BeforeEach
  void start() throws Exception {
    server = LocalServer.http();
    injector = ScriptedInjector.allowingOrigins(Set.of(server.origin())).installed();
    client = HttpClients.createDefault();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
  }

  @Test
  void repeatableEntityIsHandedOverAsTheClientsOwnObject() throws Exception {
    ByteArrayEntity entity = new ByteArrayEntity(FORM, ContentType.APPLICATION_FORM_URLENCODED);
    HttpPost post = new HttpPost(server.url("/queue"));
    post.setHeader("alter-grant", "grt_header");
    post.setEntity(entity);

    execute(post);

    OutgoingBody body = injector.seen.get(0).body();
    assertThat(body.kind()).isEqualTo(OutgoingBody.Kind.CLIENT_OBJECT);
    assertThat(body.family()).isEqualTo(OutgoingBody.APACHE4);
    assertThat(body.content()).isSameAs(entity);
    assertThat(server.received.get(0).body).isEqualTo(new String(FORM, StandardCharsets.UTF_8));
  }

  @Test
  void oneShotStreamIsAnnouncedAsStreamedAndStillSentWhole() throws Exception {
    HttpPut put = new HttpPut(server.url("/bucket/key"));
    put.setHeader("alter-grant", "grt_header");
    put.setEntity(
        new InputStreamEntity(new ByteArrayInputStream(FORM), FORM.length, ContentType.TEXT_PLAIN));

    execute(put);

    OutgoingBody body = injector.seen.get(0).body();
    assertThat(body.kind()).isEqualTo(OutgoingBody.Kind.STREAMED);
    assertThat(body.declaredLength()).isEqualTo(FORM.length);
    assertThat(server.received.get(0).body).isEqualTo(new String(FORM, StandardCharsets.UTF_8));
  }

  @Test
  void getHasNoBody() throws Exception {
    HttpGet get = new HttpGet(server.url("/bucket/key"));
    get.setHeader("alter-grant", "grt_header");

    execute(get);

    assertThat(injector.seen.get(0).body().kind()).isEqualTo(OutgoingBody.Kind.NONE);
  }

  private void execute(HttpUriRequest request) throws Exception {
    client.execute(request, response -> EntityUtils.toString(response.getEntity()));
  }
}
