package dev.alter.agent.resolver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.alter.contract.CredentialPayload;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.SealedBox;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for {@code POST /v1/resolve} that seals with the real {@link CredentialSealing},
 * records the request bodies, and answers as told: a credential, a problem, or a slow answer.
 */
final class FakeResolverService implements AutoCloseable {
  private final HttpServer server;
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  volatile String credential = "sk_test_1";
  volatile long version = 1;
  volatile String destination = "https://api.stripe.com";
  volatile String problemCode;
  volatile int problemStatus;
  volatile long delayMillis;
  volatile String answerGrantId;

  FakeResolverService() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/resolve", this::handle);
    server.start();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(body);
    authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
    try {
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
      String grant = field(body, "grant");
      if (problemCode != null) {
        respond(
            exchange,
            problemStatus,
            "application/problem+json",
            "{\"type\":\"urn:alter:error:"
                + problemCode
                + "\",\"title\":\"t\",\"status\":"
                + problemStatus
                + ",\"detail\":\"service says "
                + problemCode
                + "\",\"code\":\""
                + problemCode
                + "\",\"grant_id\":\""
                + grant
                + "\"}");
        return;
      }
      String grantId = answerGrantId != null ? answerGrantId : grant;
      SealedBox box =
          CredentialSealing.seal(
              CredentialSealing.decodePublicKey(field(body, "public_key")),
              grantId,
              version,
              CredentialPayload.single(credential));
      respond(
          exchange,
          200,
          "application/json",
          "{\"grant_id\":\""
              + grantId
              + "\",\"secret_id\":\"ms_1\","
              + "\"provider\":\"stripe\",\"credential_version\":"
              + version
              + ",\"sealed\":{\"enc\":\""
              + box.getEnc()
              + "\",\"ciphertext\":\""
              + box.getCiphertext()
              + "\"},\"injection\":{\"type\":\"header\",\"headers\":"
              + "[{\"name\":\"Authorization\",\"template\":\"Bearer {credential}\",\"optional\":false}]},"
              + "\"destinations\":[\""
              + destination
              + "\"],\"ttl_seconds\":60,\"future_field\":{\"x\":[1,2]}}");
    } catch (Exception e) {
      respond(exchange, 500, "text/plain", "boom");
    }
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
