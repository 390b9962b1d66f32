package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class SecretsApiTest {
  @Parameter Backend backend;
  static TestService service;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    service = TestService.start(backend, SecretsApiTest.class);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    service.close();
  }

  private String newApp() {
    return service.createApp("secrets-" + System.nanoTime()).path("app_id").asText();
  }

  private static String createBody(String appId, String provider, String rest) {
    return "{\"app_id\":\""
        + appId
        + "\",\"provider\":\""
        + provider
        + "\",\"label\":\"l\",\"credential\":\"c-value\""
        + (rest.isEmpty() ? "" : "," + rest)
        + "}";
  }

  @Test
  void everyCatalogProviderExceptCustomGetsItsDefaults() {
    String appId = newApp();
    Map<String, String> expectedFirstDestination =
        Map.of(
            "datadog",
            "https://api.datadoghq.com",
            "stripe",
            "https://api.stripe.com",
            "openai",
            "https://api.openai.com",
            "anthropic",
            "https://api.anthropic.com",
            "github",
            "https://api.github.com",
            "slack",
            "https://slack.com",
            "sendgrid",
            "https://api.sendgrid.com");
    expectedFirstDestination.forEach(
        (provider, destination) -> {
          JsonNode s = service.createSecret(appId, provider, "value-" + provider, null);
          assertThat(s.path("destinations").get(0).asText()).isEqualTo(destination);
          assertThat(s.path("injection").path("type").asText()).isEqualTo("header");
          assertThat(s.path("version").asLong()).isEqualTo(1);
          assertThat(s.path("fingerprint").asText()).matches("[0-9a-f]{8}");
          assertThat(s.toString()).doesNotContain("value-" + provider);
        });
    JsonNode anthropic =
        service.api.get("/v1/secrets?app_id=" + appId, service.adminKey).json().path("secrets");
    assertThat(anthropic).hasSize(expectedFirstDestination.size());
  }

  @Test
  void twilioNeedsTheAccountSidAsBasicUsername() {
    String appId = newApp();
    ApiClient.Response missing =
        service.api.post("/v1/secrets", service.adminKey, createBody(appId, "twilio", ""));
    assertThat(missing.code()).isEqualTo("validation_failed");
    assertThat(missing.json().path("detail").asText())
        .contains("injection.username")
        .contains("Account SID");
    JsonNode s =
        service.createSecret(
            appId,
            "twilio",
            "auth-token",
            "\"injection\":{\"type\":\"basic\",\"username\":\"AC123\"}");
    assertThat(s.path("injection").path("username").asText()).isEqualTo("AC123");
  }

  @Test
  void customSecretsNeedAnInjectionAndDestinations() {
    String appId = newApp();
    Map<String, List<String>> before = service.snapshot();
    assertThat(
            service
                .api
                .post(
                    "/v1/secrets",
                    service.adminKey,
                    createBody(appId, "custom", "\"destinations\":[\"https://api.example.com\"]"))
                .code())
        .isEqualTo("validation_failed");
    assertThat(
            service
                .api
                .post(
                    "/v1/secrets",
                    service.adminKey,
                    createBody(
                        appId,
                        "custom",
                        "\"injection\":{\"type\":\"query\",\"query_param\":\"api_key\"}"))
                .code())
        .isEqualTo("validation_failed");
    assertThat(service.snapshot()).isEqualTo(before);
    JsonNode q =
        service.createSecret(
            appId,
            "custom",
            "query-value",
            "\"injection\":{\"type\":\"query\",\"query_param\":\"api_key\"},\"destinations\":[\"https://*.example.com\"]");
    assertThat(q.path("injection").path("query_param").asText()).isEqualTo("api_key");
    JsonNode h =
        service.createSecret(
            appId,
            "custom",
            "header-value",
            "\"injection\":{\"type\":\"header\",\"headers\":[{\"name\":\"X-Key\",\"template\":\"Token {credential}\"},"
                + "{\"name\":\"X-Org\",\"template\":\"{org}\"}]},\"credential_parts\":{\"org\":\"o-1\"},"
                + "\"destinations\":[\"https://API.Example.com:8443/\"]");
    assertThat(h.path("destinations").get(0).asText())
        .as("stored in canonical form")
        .isEqualTo("https://api.example.com:8443");
  }

  @Test
  void badSecretInputIsRejectedAndChangesNothing() {
    String appId = newApp();
    Map<String, List<String>> before = service.snapshot();
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("unknown provider", createBody(appId, "nosuch", ""));
    cases.put(
        "missing credential",
        "{\"app_id\":\"" + appId + "\",\"provider\":\"stripe\",\"label\":\"l\"}");
    cases.put(
        "empty credential",
        "{\"app_id\":\""
            + appId
            + "\",\"provider\":\"stripe\",\"label\":\"l\",\"credential\":\"\"}");
    cases.put(
        "too long credential",
        "{\"app_id\":\""
            + appId
            + "\",\"provider\":\"stripe\",\"label\":\"l\",\"credential\":\""
            + "x".repeat(16 * 1024 + 1)
            + "\"}");
    cases.put(
        "newline in credential",
        "{\"app_id\":\""
            + appId
            + "\",\"provider\":\"stripe\",\"label\":\"l\",\"credential\":\"a\\r\\nX-Evil: 1\"}");
    cases.put(
        "missing label",
        "{\"app_id\":\"" + appId + "\",\"provider\":\"stripe\",\"credential\":\"c\"}");
    cases.put(
        "long label",
        "{\"app_id\":\""
            + appId
            + "\",\"provider\":\"stripe\",\"label\":\""
            + "l".repeat(129)
            + "\",\"credential\":\"c\"}");
    cases.put(
        "undeclared part",
        createBody(appId, "stripe", "\"credential_parts\":{\"application_key\":\"x\"}"));
    cases.put(
        "credential as part",
        createBody(appId, "datadog", "\"credential_parts\":{\"credential\":\"x\"}"));
    cases.put("aws without secret", createBody(appId, "aws", ""));
    cases.put("bad destination", createBody(appId, "stripe", "\"destinations\":[\"ftp://x\"]"));
    cases.put(
        "destination with path",
        createBody(appId, "stripe", "\"destinations\":[\"https://api.stripe.com/v1\"]"));
    cases.put(
        "deep wildcard",
        createBody(appId, "stripe", "\"destinations\":[\"https://a.*.stripe.com\"]"));
    cases.put("empty destinations", createBody(appId, "stripe", "\"destinations\":[]"));
    cases.put(
        "plain http not allowed",
        createBody(appId, "stripe", "\"destinations\":[\"http://127.0.0.1:8080\"]"));
    cases.put("ttl too small", createBody(appId, "stripe", "\"ttl_seconds\":4"));
    cases.put("ttl too big", createBody(appId, "stripe", "\"ttl_seconds\":3601"));
    cases.put("ttl as string", createBody(appId, "stripe", "\"ttl_seconds\":\"60\""));
    cases.put("plain flag as string", createBody(appId, "stripe", "\"allow_plain_http\":\"true\""));
    cases.put("unknown field", createBody(appId, "stripe", "\"colour\":\"red\""));
    cases.put(
        "unknown injection field",
        createBody(appId, "stripe", "\"injection\":{\"type\":\"header\",\"bogus\":1}"));
    cases.put("injection type", createBody(appId, "stripe", "\"injection\":{\"type\":\"smoke\"}"));
    cases.put(
        "alter header",
        createBody(
            appId,
            "stripe",
            "\"injection\":{\"type\":\"header\",\"headers\":[{\"name\":\"alter-grant\",\"template\":\"{credential}\"}]}"));
    cases.put(
        "host header",
        createBody(
            appId,
            "stripe",
            "\"injection\":{\"type\":\"header\",\"headers\":[{\"name\":\"Host\",\"template\":\"{credential}\"}]}"));
    cases.put(
        "template without credential",
        createBody(
            appId,
            "stripe",
            "\"injection\":{\"type\":\"header\",\"headers\":[{\"name\":\"X\",\"template\":\"static\"}]}"));
    cases.put(
        "sigv4 for stripe", createBody(appId, "stripe", "\"injection\":{\"type\":\"aws_sigv4\"}"));
    cases.put(
        "basic username with colon",
        createBody(appId, "twilio", "\"injection\":{\"type\":\"basic\",\"username\":\"a:b\"}"));
    for (Map.Entry<String, String> c : cases.entrySet()) {
      ApiClient.Response r = service.api.post("/v1/secrets", service.adminKey, c.getValue());
      assertThat(r.status()).as(c.getKey() + ": " + r.body()).isEqualTo(400);
      assertThat(r.code()).as(c.getKey()).isEqualTo("validation_failed");
    }
    ApiClient.Response unknownApp =
        service.api.post("/v1/secrets", service.adminKey, createBody("app_missing", "stripe", ""));
    assertThat(unknownApp.code()).isEqualTo("not_found");
    assertThat(service.snapshot()).isEqualTo(before);
  }

  @Test
  void rotationAddsAVersionAndChangesTheFingerprint() {
    String appId = newApp();
    JsonNode s = service.createSecret(appId, "openai", "sk-one", null);
    String id = s.path("secret_id").asText();
    ApiClient.Response r =
        service.api.put(
            "/v1/secrets/" + id + "/credential", service.adminKey, "{\"credential\":\"sk-two\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("version").asLong()).isEqualTo(2);
    assertThat(r.text("fingerprint")).isNotEqualTo(s.path("fingerprint").asText());
    assertThat(
            service.api.get("/v1/secrets/" + id, service.adminKey).json().path("version").asLong())
        .isEqualTo(2);

    Map<String, List<String>> before = service.snapshot();
    for (String bad :
        List.of(
            "{}",
            "{\"credential\":\"\"}",
            "{\"credential\":5}",
            "{\"credential\":\"x\",\"credential_parts\":{\"nope\":\"y\"}}",
            "{\"credential\":\"x\",\"label\":\"y\"}")) {
      assertThat(service.api.put("/v1/secrets/" + id + "/credential", service.adminKey, bad).code())
          .as(bad)
          .isEqualTo("validation_failed");
    }
    assertThat(
            service
                .api
                .put(
                    "/v1/secrets/ms_missing/credential", service.adminKey, "{\"credential\":\"x\"}")
                .code())
        .isEqualTo("not_found");
    assertThat(service.snapshot()).isEqualTo(before);
  }

  @Test
  void patchUpdatesSettingsOnly() {
    String appId = newApp();
    JsonNode s = service.createSecret(appId, "github", "ghp-value", null);
    String id = s.path("secret_id").asText();
    ApiClient.Response r =
        service.api.patch(
            "/v1/secrets/" + id,
            service.adminKey,
            "{\"label\":\"renamed\",\"destinations\":[\"https://api.github.com\",\"https://uploads.github.com\"],\"ttl_seconds\":300}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.text("label")).isEqualTo("renamed");
    assertThat(r.json().path("destinations")).hasSize(2);
    assertThat(r.json().path("ttl_seconds").asInt()).isEqualTo(300);
    assertThat(r.json().path("version").asLong()).isEqualTo(1);

    Map<String, List<String>> before = service.snapshot();
    for (String bad :
        List.of(
            "{}",
            "{\"credential\":\"x\"}",
            "{\"destinations\":[\"http://127.0.0.1\"]}",
            "{\"ttl_seconds\":0}",
            "{\"label\":\"\"}",
            "{\"allow_plain_http\":1}")) {
      assertThat(service.api.patch("/v1/secrets/" + id, service.adminKey, bad).code())
          .as(bad)
          .isEqualTo("validation_failed");
    }
    assertThat(
            service
                .api
                .patch("/v1/secrets/ms_missing", service.adminKey, "{\"label\":\"x\"}")
                .code())
        .isEqualTo("not_found");
    assertThat(service.snapshot()).isEqualTo(before);

    ApiClient.Response plain =
        service.api.patch(
            "/v1/secrets/" + id,
            service.adminKey,
            "{\"allow_plain_http\":true,\"destinations\":[\"http://127.0.0.1:8080\"]}");
    assertThat(plain.status()).isEqualTo(200);
    assertThat(
            service
                .api
                .patch("/v1/secrets/" + id, service.adminKey, "{\"allow_plain_http\":false}")
                .code())
        .as("cannot forbid plain http while an http destination remains")
        .isEqualTo("validation_failed");
  }

  @Test
  void patchChangesTheInjectionInPlaceWhenTheStoredPartsFitIt() {
    String appId = newApp();
    String marker = "header-value-" + System.nanoTime();
    JsonNode h =
        service.createSecret(
            appId,
            "custom",
            marker,
            "\"injection\":{\"type\":\"header\",\"headers\":[{\"name\":\"X-Key\",\"template\":\"{credential}\"},"
                + "{\"name\":\"X-Tenant\",\"template\":\"{org}\"}]},"
                + "\"credential_parts\":{\"org\":\"o-1\"},\"destinations\":[\"https://api.example.com\"]");
    String id = h.path("secret_id").asText();

    ApiClient.Response moved =
        service.api.patch(
            "/v1/secrets/" + id,
            service.adminKey,
            "{\"injection\":{\"type\":\"header\",\"headers\":[{\"name\":\"Authorization\",\"template\":\"Bearer {credential}\"},"
                + "{\"name\":\"X-Org\",\"template\":\"{org}\"},{\"name\":\"X-Team\",\"template\":\"{team}\",\"optional\":true}]}}");
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    assertThat(moved.json().path("injection").path("headers").findValuesAsText("name"))
        .containsExactly("Authorization", "X-Org", "X-Team");
    assertThat(moved.json().path("version").asLong())
        .as("settings, not a new credential")
        .isEqualTo(1);
    assertThat(moved.body()).doesNotContain(marker).doesNotContain("o-1");
    assertThat(
            service
                .api
                .get("/v1/secrets/" + id, service.adminKey)
                .json()
                .path("injection")
                .path("headers")
                .get(0)
                .path("template")
                .asText())
        .isEqualTo("Bearer {credential}");
    JsonNode events =
        service.api.get("/v1/audit?secret_id=" + id, service.adminKey).json().path("events");
    assertThat(events.get(0).path("action").asText()).isEqualTo("secret.update");
    assertThat(events.get(0).path("reason").asText()).isEqualTo("changed: injection");

    Map<String, List<String>> before = service.snapshot();
    Map<String, String> refused = new java.util.LinkedHashMap<>();
    refused.put(
        "a required part the stored credential lacks",
        "{\"injection\":{\"type\":\"header\",\"headers\":[{\"name\":\"X-Key\",\"template\":\"{credential} {team}\"}]}}");
    refused.put(
        "no template uses the credential",
        "{\"injection\":{\"type\":\"header\",\"headers\":[{\"name\":\"X-Org\",\"template\":\"{org}\"}]}}");
    refused.put(
        "an alter header",
        "{\"injection\":{\"type\":\"header\",\"headers\":[{\"name\":\"alter-grant\",\"template\":\"{credential}\"}]}}");
    refused.put(
        "aws signing on a custom secret",
        "{\"injection\":{\"type\":\"aws_sigv4\",\"aws_region\":\"us-east-1\"}}");
    refused.put("no type", "{\"injection\":{}}");
    refused.put("not an object", "{\"injection\":\"header\"}");
    refused.forEach(
        (why, body) -> {
          ApiClient.Response r = service.api.patch("/v1/secrets/" + id, service.adminKey, body);
          assertThat(r.code()).as(why).isEqualTo("validation_failed");
          assertThat(r.body()).as(why).doesNotContain(marker).doesNotContain("o-1");
        });
    assertThat(
            service
                .api
                .patch(
                    "/v1/secrets/" + id,
                    service.adminKey,
                    "{\"injection\":{\"type\":\"header\",\"headers\":[{\"name\":\"X-Key\",\"template\":\"{credential} {team}\"}]}}")
                .json()
                .path("detail")
                .asText())
        .contains("'team'")
        .contains("PUT /v1/secrets/{id}/credential");
    assertThat(service.snapshot()).isEqualTo(before);

    // A catalog provider accepts only the parts it declares, whatever the stored credential holds.
    String datadog =
        service.createSecret(appId, "datadog", "dd-value", null).path("secret_id").asText();
    assertThat(
            service
                .api
                .patch(
                    "/v1/secrets/" + datadog,
                    service.adminKey,
                    "{\"injection\":{\"type\":\"header\",\"headers\":[{\"name\":\"DD-API-KEY\",\"template\":\"{credential}\"},"
                        + "{\"name\":\"X-Extra\",\"template\":\"{extra}\",\"optional\":true}]}}")
                .code())
        .isEqualTo("validation_failed");
    ApiClient.Response onlyApiKey =
        service.api.patch(
            "/v1/secrets/" + datadog,
            service.adminKey,
            "{\"injection\":{\"type\":\"header\",\"headers\":[{\"name\":\"DD-API-KEY\",\"template\":\"{credential}\"}]}}");
    assertThat(onlyApiKey.status()).as(onlyApiKey.body()).isEqualTo(200);
  }

  @Test
  void deletedSecretsDisappearFromReads() {
    String appId = newApp();
    String id = service.createSecret(appId, "slack", "xoxb-value", null).path("secret_id").asText();
    assertThat(service.api.delete("/v1/secrets/" + id, service.adminKey).status()).isEqualTo(204);
    assertThat(service.api.get("/v1/secrets/" + id, service.adminKey).code())
        .isEqualTo("not_found");
    assertThat(service.api.delete("/v1/secrets/" + id, service.adminKey).code())
        .isEqualTo("not_found");
    assertThat(
            service.api.get("/v1/secrets?app_id=" + appId, service.adminKey).json().path("secrets"))
        .isEmpty();
    assertThat(service.api.get("/v1/secrets?app_id=", service.adminKey).code())
        .isEqualTo("validation_failed");
    String other =
        service.createSecret(appId, "slack", "xoxb-other", null).path("secret_id").asText();
    assertThat(
            service
                .api
                .get("/v1/secrets", service.adminKey)
                .json()
                .path("secrets")
                .findValuesAsText("secret_id"))
        .as("without a filter: every live secret")
        .contains(other)
        .doesNotContain(id);
    assertThat(service.api.get("/v1/secrets?app_id=app_missing", service.adminKey).code())
        .isEqualTo("not_found");
    JsonNode events =
        service.api.get("/v1/audit?secret_id=" + id, service.adminKey).json().path("events");
    assertThat(events.findValuesAsText("action")).containsExactly("secret.delete", "secret.create");
  }

  @Test
  void storedRowsHoldOnlyCiphertext() {
    String appId = newApp();
    String marker = "plaintext-marker-" + System.nanoTime();
    service.createSecret(appId, "sendgrid", marker, null);
    service
        .snapshot()
        .values()
        .forEach(rows -> assertThat(String.join("\n", rows)).doesNotContain(marker));
  }
}
