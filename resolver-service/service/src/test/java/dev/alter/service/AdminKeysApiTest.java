package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class AdminKeysApiTest {
  @Parameter Backend backend;

  @Test
  void adminKeysAreCreatedListedAndRevokedButNeverTheLastOne() {
    try (TestService s = TestService.start(backend, AdminKeysApiTest.class)) {
      String appKeyId = s.createApp("not-admin").path("api_key").path("key_id").asText();
      JsonNode listed = s.api.get("/v1/admin-keys", s.adminKey).json().path("keys");
      assertThat(listed).hasSize(1);
      String firstId = listed.get(0).path("key_id").asText();

      ApiClient.Response last = s.api.delete("/v1/admin-keys/" + firstId, s.adminKey);
      assertThat(last.status()).isEqualTo(409);
      assertThat(last.code()).isEqualTo("conflict");

      ApiClient.Response created = s.api.post("/v1/admin-keys", s.adminKey, "{}");
      assertThat(created.status()).isEqualTo(201);
      String second = created.text("key");
      assertThat(second).startsWith("alter_key_admin_");
      assertThat(s.api.get("/v1/admin-keys", second).body()).doesNotContain("alter_key_admin_");

      ApiClient.Response revoked = s.api.delete("/v1/admin-keys/" + firstId, second);
      assertThat(revoked.status()).isEqualTo(200);
      assertThat(revoked.text("revoked_at")).isNotNull();
      assertThat(s.api.get("/v1/apps", s.adminKey).code())
          .as("the revoked key is refused")
          .isEqualTo("unauthorized");
      assertThat(s.api.get("/v1/apps", second).status()).isEqualTo(200);
      assertThat(s.api.delete("/v1/admin-keys/" + created.text("key_id"), second).code())
          .isEqualTo("conflict");
      assertThat(s.api.delete("/v1/admin-keys/key_missing", second).code()).isEqualTo("not_found");

      assertThat(s.api.delete("/v1/admin-keys/" + appKeyId, second).code())
          .as("app keys are not admin keys")
          .isEqualTo("not_found");
      JsonNode events =
          s.api.get("/v1/audit?action=admin_key.revoke", second).json().path("events");
      assertThat(events).hasSize(1);
      assertThat(events.get(0).path("reason").asText()).contains(firstId);
    }
  }
}
