package dev.alter.service.mint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.alter.contract.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;

/**
 * GitHub App installation tokens: an RS256 app JWT ({@code iss} = app id, issued 60 s in the past
 * for clock drift, valid 9 minutes: GitHub refuses more than 10) exchanged at {@code POST
 * /app/installations/{id}/access_tokens} for a token that expires within the hour, optionally
 * narrowed to repositories and permissions.
 */
public final class GitHubAppTokenEndpoint {
  static final Duration CLOCK_DRIFT = Duration.ofSeconds(60);
  static final Duration JWT_LIFETIME = Duration.ofMinutes(9);

  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final Duration timeout;
  private final Clock clock;

  public GitHubAppTokenEndpoint(Duration timeout, Clock clock) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.timeout = timeout;
    this.clock = clock;
  }

  /**
   * @param privateKeyPem the app's private key, as stored
   */
  public MintedToken request(MintingSettings s, String privateKeyPem, String grantId) {
    Instant now = clock.instant();
    HttpRequest request =
        HttpRequest.newBuilder(installationTokensUri(s))
            .timeout(timeout)
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28")
            .header("Authorization", "Bearer " + appJwt(s, privateKeyPem, now, grantId))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body(s)))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new MintFailure(
          ErrorCode.TOKEN_ENDPOINT_UNAVAILABLE,
          "GitHub's installation-token endpoint for grant "
              + grantId
              + " could not be reached ("
              + e.getClass().getSimpleName()
              + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MintFailure(ErrorCode.TOKEN_ENDPOINT_UNAVAILABLE, "interrupted");
    }
    int status = response.statusCode();
    if (status >= 500) {
      throw new MintFailure(
          ErrorCode.TOKEN_ENDPOINT_UNAVAILABLE,
          "GitHub's installation-token endpoint for grant " + grantId + " answered HTTP " + status);
    }
    if (status == 401 || status == 403 || status == 404 || status == 422) {
      throw new MintFailure(
          ErrorCode.TOKEN_ENDPOINT_REFUSED,
          "GitHub refused the app's installation token for grant "
              + grantId
              + " (HTTP "
              + status
              + "): check the app id, installation id, private key and requested permissions");
    }
    try {
      JsonNode answer = json.readTree(response.body());
      String token = answer.path("token").asText(null);
      String expires = answer.path("expires_at").asText(null);
      if (status != 201 || token == null || token.isEmpty() || expires == null) {
        throw malformed(grantId, status);
      }
      return MintedToken.of(token, now, Instant.parse(expires));
    } catch (IOException | DateTimeParseException e) {
      throw malformed(grantId, status);
    }
  }

  private static URI installationTokensUri(MintingSettings s) {
    String base = s.tokenEndpoint().toString().replaceAll("/+$", "");
    return URI.create(base + "/app/installations/" + s.installationId() + "/access_tokens");
  }

  private static String appJwt(
      MintingSettings s, String privateKeyPem, Instant now, String grantId) {
    PrivateKey key = PemPrivateKeys.parse(privateKeyPem);
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(s.appId())
            .issueTime(Date.from(now.minus(CLOCK_DRIFT)))
            .expirationTime(Date.from(now.minus(CLOCK_DRIFT).plus(JWT_LIFETIME)))
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException | RuntimeException e) {
      throw new MintFailure(
          ErrorCode.TOKEN_ENDPOINT_REFUSED,
          "the stored GitHub App key of grant " + grantId + " cannot sign an RS256 app JWT");
    }
    return jwt.serialize();
  }

  private String body(MintingSettings s) {
    ObjectNode body = json.createObjectNode();
    if (!s.repositories().isEmpty()) {
      s.repositories().forEach(body.putArray("repositories")::add);
    }
    if (!s.permissions().isEmpty()) {
      ObjectNode permissions = body.putObject("permissions");
      s.permissions().forEach(permissions::put);
    }
    return body.toString();
  }

  private static MintFailure malformed(String grantId, int status) {
    return new MintFailure(
        ErrorCode.TOKEN_ENDPOINT_MALFORMED,
        "GitHub's installation-token endpoint for grant "
            + grantId
            + " answered HTTP "
            + status
            + " without an installation token");
  }
}
