package dev.alter.it.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of {@code POST /v1/secrets}, built fluently. */
public final class NewSecret {
  private final Map<String, Object> body = new LinkedHashMap<>();

  private NewSecret(String appId, String provider, String credential) {
    body.put("app_id", appId);
    body.put("provider", provider);
    body.put("label", provider + "-it");
    body.put("credential", credential);
  }

  /** A secret of a catalog provider ({@code datadog}, {@code stripe}, …). */
  public static NewSecret provider(String appId, String provider, String credential) {
    return new NewSecret(appId, provider, credential);
  }

  /**
   * A custom secret injected as one header from a template such as {@code "Bearer {credential}"}.
   */
  public static NewSecret customHeader(
      String appId, String credential, String headerName, String template) {
    return new NewSecret(appId, "custom", credential)
        .injection(
            Map.of(
                "type",
                "header",
                "headers",
                List.of(Map.of("name", headerName, "template", template, "optional", false))));
  }

  /** A custom secret injected as HTTP Basic with this user name. */
  public static NewSecret customBasic(String appId, String credential, String username) {
    return new NewSecret(appId, "custom", credential)
        .injection(Map.of("type", "basic", "username", username));
  }

  /** A custom secret injected as the query parameter {@code param}. */
  public static NewSecret customQuery(String appId, String credential, String param) {
    return new NewSecret(appId, "custom", credential)
        .injection(Map.of("type", "query", "query_param", param));
  }

  public NewSecret label(String label) {
    body.put("label", label);
    return this;
  }

  public NewSecret injection(Map<String, Object> injection) {
    body.put("injection", injection);
    return this;
  }

  public NewSecret credentialPart(String part, String value) {
    @SuppressWarnings("unchecked")
    Map<String, Object> parts =
        (Map<String, Object>)
            body.computeIfAbsent("credential_parts", k -> new LinkedHashMap<String, Object>());
    parts.put(part, value);
    return this;
  }

  public NewSecret destinations(String... destinations) {
    body.put("destinations", List.of(destinations));
    return this;
  }

  public NewSecret allowPlainHttp(boolean allow) {
    body.put("allow_plain_http", allow);
    return this;
  }

  public NewSecret ttlSeconds(int seconds) {
    body.put("ttl_seconds", seconds);
    return this;
  }

  Map<String, Object> toBody() {
    return new LinkedHashMap<>(body);
  }
}
