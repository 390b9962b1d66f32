package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.testing.TestIdp;
import java.time.Instant;
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
class GrantsApiTest {
  @Parameter Backend backend;
  static TestService service;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    service = TestService.start(backend, GrantsApiTest.class);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    service.close();
  }

  private String newSecret() {
    String appId = service.createApp("grants-" + System.nanoTime()).path("app_id").asText();
    return service.createSecret(appId, "stripe", "sk-grant", null).path("secret_id").asText();
  }

  @Test
  void everyPrincipalKindIsStoredAsGiven() {
    String secretId = newSecret();
    String idpId;
    try (TestIdp idp = TestIdp.start("https://sso.grants.test/" + System.nanoTime())) {
      idpId = service.registerIdp(idp, "groups");
    }
    String agentId = service.createAgent("grants-agent").path("agent_id").asText();
    for (String principal :
        List.of(
            "{\"type\":\"system\",\"label\":\"batch\"}",
            "{\"type\":\"user\",\"user_id\":\"alice@example.com\",\"idp_id\":\"" + idpId + "\"}",
            "{\"type\":\"group\",\"external_group_id\":\"00g1\",\"idp_id\":\"" + idpId + "\"}",
            "{\"type\":\"agent\",\"agent_id\":\"" + agentId + "\"}")) {
      ApiClient.Response r =
          service.api.post(
              "/v1/grants",
              service.adminKey,
              "{\"secret_id\":\""
                  + secretId
                  + "\",\"label\":\"g\",\"principal\":"
                  + principal
                  + "}");
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      assertThat(r.text("grant_id")).startsWith("grt_");
      assertThat(r.json().path("principal").toString()).isEqualTo(principal);
      assertThat(r.json().has("revoked_at")).isTrue();
      ApiClient.Response got =
          service.api.get("/v1/grants/" + r.text("grant_id"), service.adminKey);
      assertThat(got.json()).isEqualTo(r.json());
    }
    assertThat(
            service
                .api
                .get("/v1/grants?secret_id=" + secretId, service.adminKey)
                .json()
                .path("grants"))
        .hasSize(4);
  }

  @Test
  void listsBySecretAndByApp() {
    String appId = service.createApp("lists-" + System.nanoTime()).path("app_id").asText();
    String s1 = service.createSecret(appId, "stripe", "a", null).path("secret_id").asText();
    String s2 = service.createSecret(appId, "openai", "b", null).path("secret_id").asText();
    service.createSystemGrant(s1, "one");
    service.createSystemGrant(s2, "two");
    assertThat(
            service.api.get("/v1/grants?secret_id=" + s1, service.adminKey).json().path("grants"))
        .hasSize(1);
    assertThat(
            service.api.get("/v1/grants?app_id=" + appId, service.adminKey).json().path("grants"))
        .hasSize(2);
    assertThat(
            service
                .api
                .get("/v1/grants", service.adminKey)
                .json()
                .path("grants")
                .findValuesAsText("secret_id"))
        .as("without a filter: every grant")
        .contains(s1, s2);
    assertThat(service.api.get("/v1/grants?app_id=app_missing", service.adminKey).code())
        .isEqualTo("not_found");
    assertThat(service.api.get("/v1/grants?secret_id=ms_missing", service.adminKey).code())
        .isEqualTo("not_found");
    assertThat(
            service
                .api
                .get("/v1/grants?secret_id=" + s1 + "&app_id=" + appId, service.adminKey)
                .code())
        .isEqualTo("validation_failed");
  }

  @Test
  void revokeIsRecordedAndIdempotent() {
    String grantId = service.createSystemGrant(newSecret(), "r").path("grant_id").asText();
    ApiClient.Response first =
        service.api.post("/v1/grants/" + grantId + "/revoke", service.adminKey, "{}");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.text("revoked_at")).isNotNull();
    ApiClient.Response again =
        service.api.post("/v1/grants/" + grantId + "/revoke", service.adminKey, "{}");
    assertThat(again.text("revoked_at")).isEqualTo(first.text("revoked_at"));
    assertThat(
            service
                .api
                .get("/v1/audit?grant_id=" + grantId, service.adminKey)
                .json()
                .path("events")
                .findValuesAsText("action"))
        .containsExactly("grant.revoke", "grant.create");
    assertThat(service.api.post("/v1/grants/grt_missing/revoke", service.adminKey, "{}").code())
        .isEqualTo("not_found");
    assertThat(service.api.get("/v1/grants/grt_missing", service.adminKey).code())
        .isEqualTo("not_found");
  }

  @Test
  void badGrantInputIsRejectedAndChangesNothing() {
    String secretId = newSecret();
    Map<String, List<String>> before = service.snapshot();
    String s = "\"secret_id\":\"" + secretId + "\",";
    for (String body :
        List.of(
            "{}",
            "{" + s + "\"label\":\"x\"}",
            "{" + s + "\"principal\":{}}",
            "{" + s + "\"principal\":{\"type\":\"robot\"}}",
            "{" + s + "\"principal\":{\"type\":\"system\"}}",
            "{" + s + "\"principal\":{\"type\":\"system\",\"label\":\"x\",\"user_id\":\"u\"}}",
            "{" + s + "\"principal\":{\"type\":\"user\",\"user_id\":\"u\"}}",
            "{" + s + "\"principal\":{\"type\":\"user\",\"user_id\":\"u\",\"idp_id\":\"okta\"}}",
            "{" + s + "\"principal\":{\"type\":\"group\",\"idp_id\":\"idp_x\"}}",
            "{" + s + "\"principal\":{\"type\":\"agent\",\"agent_id\":\"bot\"}}",
            "{" + s + "\"principal\":{\"type\":\"system\",\"label\":\"x\",\"extra\":1}}",
            "{"
                + s
                + "\"principal\":{\"type\":\"system\",\"label\":\"x\"},\"expires_at\":\"tomorrow\"}",
            "{"
                + s
                + "\"principal\":{\"type\":\"system\",\"label\":\"x\"},\"expires_at\":\""
                + Instant.now().minusSeconds(60)
                + "\"}",
            "{"
                + s
                + "\"principal\":{\"type\":\"system\",\"label\":\"x\"},\"label\":\""
                + "y".repeat(129)
                + "\"}",
            "{" + s + "\"principal\":\"system\"}")) {
      ApiClient.Response r = service.api.post("/v1/grants", service.adminKey, body);
      assertThat(r.status()).as(body + " → " + r.body()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("validation_failed");
    }
    assertThat(
            service
                .api
                .post(
                    "/v1/grants",
                    service.adminKey,
                    "{\"secret_id\":\"ms_missing\",\"principal\":{\"type\":\"system\",\"label\":\"x\"}}")
                .code())
        .isEqualTo("not_found");
    assertThat(service.snapshot()).isEqualTo(before);
  }

  @Test
  void grantsOfDeletedSecretsCannotBeCreated() {
    String secretId = newSecret();
    service.api.delete("/v1/secrets/" + secretId, service.adminKey);
    JsonNode r =
        service
            .api
            .post(
                "/v1/grants",
                service.adminKey,
                "{\"secret_id\":\""
                    + secretId
                    + "\",\"principal\":{\"type\":\"system\",\"label\":\"x\"}}")
            .json();
    assertThat(r.path("code").asText()).isEqualTo("not_found");
  }
}
