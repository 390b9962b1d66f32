package dev.alter.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small client of the resolver service's admin API (resolver-service/API.md), used by tests to
 * set up apps, secrets and grants and to read the audit trail.
 */
public final class AdminClient {
  private final String baseUrl;
  private final String adminKey;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  public AdminClient(String baseUrl, String adminKey) {
    this.baseUrl = baseUrl;
    this.adminKey = adminKey;
  }

  /** An app and its first key ({@code alter_key_app_…}, shown only at creation). */
  public static final class App {
    public final String appId;
    public final String apiKey;

    /** The id of {@link #apiKey} (what a revocation names). */
    public final String keyId;

    App(String appId, String apiKey, String keyId) {
      this.appId = appId;
      this.apiKey = apiKey;
      this.keyId = keyId;
    }
  }

  public App createApp(String name) {
    JsonNode app = call("POST", "/v1/apps", Map.of("name", name));
    return new App(
        app.path("app_id").asText(),
        app.path("api_key").path("key").asText(),
        app.path("api_key").path("key_id").asText());
  }

  /** Stores a secret; answers its metadata (with {@code secret_id}). */
  public JsonNode storeSecret(NewSecret secret) {
    return call("POST", "/v1/secrets", secret.toBody());
  }

  /** Stores a secret; answers its {@code ms_…} id. */
  public String storeSecretId(NewSecret secret) {
    return storeSecret(secret).path("secret_id").asText();
  }

  /** Creates a system grant of a secret; answers the {@code grt_…} id. */
  public String createSystemGrant(String secretId, String label) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("secret_id", secretId);
    body.put("label", label);
    body.put("principal", Map.of("type", "system", "label", label));
    return call("POST", "/v1/grants", body).path("grant_id").asText();
  }

  /**
   * Creates a system grant with a policy (API.md, "Grant policies"); answers the {@code grt_…} id.
   */
  public String createSystemGrant(String secretId, String label, Map<String, Object> policy) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("secret_id", secretId);
    body.put("label", label);
    body.put("principal", Map.of("type", "system", "label", label));
    body.put("policy", policy);
    return call("POST", "/v1/grants", body).path("grant_id").asText();
  }

  /** Replaces a grant's policy in place. */
  public JsonNode setPolicy(String grantId, Map<String, Object> policy) {
    return call("PUT", "/v1/grants/" + grantId + "/policy", policy);
  }

  /** Rotation in place: same secret id, version + 1. */
  public JsonNode rotate(String secretId, String credential) {
    return call("PUT", "/v1/secrets/" + secretId + "/credential", Map.of("credential", credential));
  }

  public JsonNode updateSecret(String secretId, Map<String, Object> changes) {
    return call("PATCH", "/v1/secrets/" + secretId, changes);
  }

  public JsonNode revokeGrant(String grantId) {
    return call("POST", "/v1/grants/" + grantId + "/revoke", Map.of());
  }

  public void deleteSecret(String secretId) {
    call("DELETE", "/v1/secrets/" + secretId, null);
  }

  /**
   * Audit events matching the filters (e.g. {@code grant_id}, {@code action}, {@code outcome}), all
   * pages, oldest paging order as the service returns them.
   */
  public List<JsonNode> audit(Map<String, String> filters) {
    List<JsonNode> events = new ArrayList<>();
    String cursor = null;
    do {
      StringBuilder query = new StringBuilder("/v1/audit?limit=100");
      for (Map.Entry<String, String> f : filters.entrySet()) {
        query.append('&').append(f.getKey()).append('=').append(encode(f.getValue()));
      }
      if (cursor != null) {
        query.append("&cursor=").append(encode(cursor));
      }
      JsonNode page = call("GET", query.toString(), null);
      page.path("events").forEach(events::add);
      JsonNode next = page.path("next_cursor");
      cursor = next.isTextual() && !next.asText().isEmpty() ? next.asText() : null;
    } while (cursor != null);
    return events;
  }

  /** Number of {@code resolve} audit events for a grant (allowed and denied). */
  public int resolveCount(String grantId) {
    return audit(Map.of("grant_id", grantId, "action", "resolve")).size();
  }

  /** Any admin call; non-2xx answers throw {@link AdminApiException} with the problem body. */
  public JsonNode call(String method, String path, Object body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + adminKey);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() / 100 != 2) {
        throw new AdminApiException(
            method + " " + path,
            response.statusCode(),
            response.body().isEmpty() ? null : Json.parse(response.body()));
      }
      return response.body().isEmpty()
          ? Json.MAPPER.createObjectNode()
          : Json.parse(response.body());
    } catch (IOException e) {
      throw new AdminApiException(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
