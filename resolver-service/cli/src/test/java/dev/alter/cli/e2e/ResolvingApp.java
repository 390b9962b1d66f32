package dev.alter.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.http.Json;
import dev.alter.contract.CredentialPayload;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.ResolveRequest;
import dev.alter.contract.ResolveResponse;
import dev.alter.contract.X25519Keys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;

/**
 * Plays the app side of the story: holds an app key and an X25519 key pair, calls {@code POST
 * /v1/resolve} and opens the sealed credential, as the agent will.
 */
final class ResolvingApp {
  private final String baseUrl;
  private final String appKey;
  private final KeyPair keyPair = X25519Keys.generate();
  private final HttpClient http = HttpClient.newHttpClient();

  ResolvingApp(String baseUrl, String appKey) {
    this.baseUrl = baseUrl;
    this.appKey = appKey;
  }

  /** The outcome of one resolve: the opened payload, or the problem code. */
  record Outcome(int status, CredentialPayload payload, long version, String code) {}

  Outcome resolve(String grantId, String url) throws Exception {
    byte[] publicKey = X25519Keys.rawPublicKey(keyPair.getPublic());
    ResolveRequest request =
        new ResolveRequest(
            grantId,
            null,
            new ResolveRequest.Destination("GET", url),
            CredentialSealing.encodePublicKey(publicKey));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/v1/resolve"))
                .header("Authorization", "Bearer " + appKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(request)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      JsonNode problem = Json.MAPPER.readTree(response.body());
      return new Outcome(response.statusCode(), null, 0, problem.path("code").asText());
    }
    ResolveResponse answer = Json.MAPPER.readValue(response.body(), ResolveResponse.class);
    CredentialPayload payload =
        CredentialSealing.open(
            keyPair.getPrivate(),
            publicKey,
            grantId,
            answer.getCredentialVersion(),
            answer.getSealed());
    return new Outcome(200, payload, answer.getCredentialVersion(), null);
  }
}
