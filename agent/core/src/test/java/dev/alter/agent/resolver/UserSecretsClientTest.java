package dev.alter.agent.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.alter.agent.bootstrap.AlterUserSecretException;
import dev.alter.agent.bootstrap.UserSecretStatus;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's side of {@code AlterUserSecrets} against a local HTTP server standing in for the
 * resolver: what goes on the wire (signed, never the app key; the key written from the char[] as
 * JSON) and how answers become statuses or {@link AlterUserSecretException}s.
 */
class UserSecretsClientTest {
  private static final String APP_KEY = "alter_key_app_" + "k".repeat(43);

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> forgotten = new CopyOnWriteArrayList<>();
  private volatile int status = 201;
  private volatile String answer =
      "{\"provider\":\"datadog\",\"name\":\"default\",\"created\":true,\"secret_id\":\"ms_1\","
          + "\"grant_id\":\"grt_1\",\"version\":1,\"fingerprint\":\"0a1b2c3d\","
          + "\"updated_at\":\"2026-12-07T01:00:00Z\"}";

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI().getPath()
                  + "\n"
                  + exchange.getRequestHeaders().getFirst("Authorization")
                  + "\n"
                  + body);
          byte[] out = answer.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, status == 204 ? -1 : out.length);
          if (status != 204) {
            exchange.getResponseBody().write(out);
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private UserSecretsClient client() {
    return new UserSecretsClient(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
        APP_KEY,
        null,
        Duration.ofSeconds(10),
        forgotten::add);
  }

  @Test
  void storeSendsASignedJsonBodyWithTheKeyAndForgetsTheUsersCachedResolves() throws Exception {
    char[] key = "dd-\"quoted\"-é-\\".toCharArray();
    UserSecretStatus stored = client().store("datadog", "default", "jwt.a.b", key);

    assertThat(stored.stored()).isTrue();
    assertThat(stored.fingerprint()).isEqualTo("0a1b2c3d");
    assertThat(stored.grantId()).isEqualTo("grt_1");
    assertThat(stored.updatedAt()).isEqualTo("2026-12-07T01:00:00Z");
    assertThat(forgotten).containsExactly("jwt.a.b");
    String request = requests.get(0);
    assertThat(request).startsWith("PUT /v1/user-secrets/datadog\nAlter-Signature ");
    assertThat(request).doesNotContain(APP_KEY);
    assertThat(request)
        .endsWith("{\"identity\":\"jwt.a.b\",\"credential\":\"dd-\\\"quoted\\\"-é-\\\\\"}");
    assertThat(stored.toString()).doesNotContain("dd-");
  }

  @Test
  void statusAndDeleteReadTheAnswer() throws Exception {
    status = 200;
    answer = "{\"provider\":\"datadog\",\"name\":\"default\",\"stored\":false}";
    UserSecretStatus none = client().status("datadog", "default", "jwt.a.b");
    assertThat(none.stored()).isFalse();
    assertThat(none.fingerprint()).isNull();
    assertThat(requests.get(0)).startsWith("POST /v1/user-secrets/datadog/status\n");
    assertThat(requests.get(0)).endsWith("{\"identity\":\"jwt.a.b\"}");

    status = 204;
    assertThat(client().delete("datadog", "default", "jwt.a.b")).isTrue();
    assertThat(forgotten).containsExactly("jwt.a.b");

    status = 404;
    answer = "{\"code\":\"not_found\",\"detail\":\"no key\"}";
    assertThat(client().delete("datadog", "default", "jwt.a.b")).isFalse();
  }

  @Test
  void aNamedKeySendsItsNameAndStatusCarriesTheGrantToName() throws Exception {
    answer =
        "{\"provider\":\"datadog\",\"name\":\"eu-site\",\"created\":true,"
            + "\"secret_id\":\"ms_2\",\"grant_id\":\"grt_2\",\"version\":1,"
            + "\"fingerprint\":\"99aa88bb\",\"updated_at\":\"2026-12-07T01:00:00Z\"}";
    UserSecretStatus stored =
        client().store("datadog", "eu-site", "jwt.a.b", "dd-eu".toCharArray());
    assertThat(stored.name()).isEqualTo("eu-site");
    assertThat(stored.grantId()).isEqualTo("grt_2");
    assertThat(requests.get(0))
        .endsWith("{\"identity\":\"jwt.a.b\",\"name\":\"eu-site\",\"credential\":\"dd-eu\"}");

    status = 200;
    answer =
        "{\"provider\":\"datadog\",\"name\":\"eu-site\",\"stored\":true,"
            + "\"fingerprint\":\"99aa88bb\",\"updated_at\":\"2026-12-07T01:00:00Z\","
            + "\"grant_id\":\"grt_2\"}";
    UserSecretStatus named = client().status("datadog", "eu-site", "jwt.a.b");
    assertThat(named.stored()).isTrue();
    assertThat(named.grantId()).isEqualTo("grt_2");
    assertThat(requests.get(1)).endsWith("{\"identity\":\"jwt.a.b\",\"name\":\"eu-site\"}");

    status = 204;
    assertThat(client().delete("datadog", "eu-site", "jwt.a.b")).isTrue();
    assertThat(requests.get(2))
        .startsWith("DELETE /v1/user-secrets/datadog\n")
        .endsWith("{\"identity\":\"jwt.a.b\",\"name\":\"eu-site\"}");
  }

  @Test
  void aRefusalIsAnExceptionWithTheServicesCodeAndNothingIsForgotten() {
    status = 403;
    answer =
        "{\"type\":\"urn:alter:error:provider_not_allowed\",\"code\":\"provider_not_allowed\","
            + "\"detail\":\"the operator has not allowed it\"}";
    assertThatThrownBy(() -> client().store("stripe", "default", "jwt.a.b", "sk_x".toCharArray()))
        .isInstanceOfSatisfying(
            AlterUserSecretException.class,
            e -> {
              assertThat(e.code()).isEqualTo("provider_not_allowed");
              assertThat(e.provider()).isEqualTo("stripe");
              assertThat(e.getMessage())
                  .contains("the operator has not allowed it")
                  .doesNotContain("sk_x");
            });
    assertThat(forgotten).isEmpty();
  }

  @Test
  void anUnreachableServiceIsResolverUnavailable() {
    UserSecretsClient unreachable =
        new UserSecretsClient(
            URI.create("http://127.0.0.1:1"), APP_KEY, null, Duration.ofSeconds(5), forgotten::add);
    assertThatThrownBy(() -> unreachable.status("datadog", "default", "jwt.a.b"))
        .isInstanceOfSatisfying(
            AlterUserSecretException.class,
            e -> assertThat(e.code()).isEqualTo("resolver_unavailable"));
  }
}
