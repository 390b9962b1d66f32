package dev.alter.it.minted;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.TestCertificate;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTPS stand-in of the token endpoints of the catalog's client-credentials providers (reached
 * by their own host names through a hosts file): records every token request as it arrived and
 * issues an hour's bearer token for any well-formed one, so a test can compare the request with
 * what the provider documents.
 */
final class TokenEndpointStandIn implements AutoCloseable {
  /** One token request: the host it was addressed to, its path, Authorization and form. */
  record TokenRequest(
      String host, String path, String authorization, Map<String, String> form, String issued) {}

  private final HttpsServer server;
  private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();

  TokenEndpointStandIn(TestCertificate certificate) {
    server = LoopbackHttps.start(certificate, "/", this::handle);
  }

  int port() {
    return server.getAddress().getPort();
  }

  List<TokenRequest> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> form = new LinkedHashMap<>();
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          form.put(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      String token = "minted-" + RandomHex.of(16);
      String host = exchange.getRequestHeaders().getFirst("Host");
      requests.add(
          new TokenRequest(
              host == null ? null : host.replaceFirst(":\\d+$", ""),
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders().getFirst("Authorization"),
              form,
              token));
      byte[] answer =
          ("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}")
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(
          "POST".equals(exchange.getRequestMethod()) ? 200 : 405, answer.length);
      exchange.getResponseBody().write(answer);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
