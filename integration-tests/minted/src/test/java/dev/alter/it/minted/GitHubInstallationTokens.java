package dev.alter.it.minted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.TestCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in of GitHub's {@code POST /app/installations/{id}/access_tokens} that checks the app JWT
 * as GitHub documents (RS256 signed by the app's key, {@code iss} the app id, issued no later than
 * now and expiring within 10 minutes of its issue and after now) and issues tokens that expire
 * after {@code lifetime}; anything else gets GitHub's 401.
 */
final class GitHubInstallationTokens implements AutoCloseable {
  /** One installation-token request as received. */
  record Received(String path, JsonNode body, String issuer) {}

  private static final Duration SKEW = Duration.ofSeconds(30);

  private final HttpsServer server;
  private final String appId;
  private final RSAPublicKey appKey;
  private final ObjectMapper json = new ObjectMapper();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<String> issued = new CopyOnWriteArrayList<>();
  private volatile Duration lifetime = Duration.ofHours(1);

  GitHubInstallationTokens(TestCertificate certificate, String appId, RSAPublicKey appKey) {
    this.appId = appId;
    this.appKey = appKey;
    server = LoopbackHttps.start(certificate, "/app/installations/", this::handle);
  }

  int port() {
    return server.getAddress().getPort();
  }

  void lifetime(Duration lifetime) {
    this.lifetime = lifetime;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  List<String> issued() {
    return List.copyOf(issued);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
      String issuer = verifiedIssuer(authorization);
      received.add(new Received(path, body, issuer));
      if (!"POST".equals(exchange.getRequestMethod())
          || !path.matches("/app/installations/\\d+/access_tokens")) {
        answer(exchange, 404, "{\"message\":\"Not Found\"}");
        return;
      }
      if (!appId.equals(issuer)) {
        answer(exchange, 401, "{\"message\":\"A JSON web token could not be decoded\"}");
        return;
      }
      String token = "ghs_" + RandomHex.of(18);
      issued.add(token);
      answer(
          exchange,
          201,
          json.createObjectNode()
              .put("token", token)
              .put("expires_at", Instant.now().plus(lifetime).toString())
              .toString());
    }
  }

  /** The app id the JWT proves, or null when it is not one GitHub would accept. */
  private String verifiedIssuer(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return null;
    }
    try {
      SignedJWT jwt = SignedJWT.parse(authorization.substring(7));
      if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
          || !jwt.verify(new RSASSAVerifier(appKey))) {
        return null;
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Instant now = Instant.now();
      Instant iat = claims.getIssueTime().toInstant();
      Instant exp = claims.getExpirationTime().toInstant();
      if (iat.isAfter(now.plus(SKEW))
          || !exp.isAfter(now)
          || Duration.between(iat, exp).compareTo(Duration.ofMinutes(10)) > 0) {
        return null;
      }
      return claims.getIssuer();
    } catch (Exception e) {
      return null;
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
