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
class AppsApiTest {
  @Parameter Backend backend;
  static TestService service;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    service = TestService.start(backend, AppsApiTest.class);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    service.close();
  }

  private ApiClient api() {
    return service.api;
  }

  @Test
  void createdAppCarriesAKeyShownOnlyAtCreation() {
    JsonNode app = service.createApp("billing-" + System.nanoTime());
    assertThat(app.path("app_id").asText()).startsWith("app_");
    assertThat(app.path("api_key").path("key").asText())
        .startsWith("alter_key_app_")
        .hasSizeGreaterThan(14 + 42);
    assertThat(app.path("api_key").path("key_id").asText()).startsWith("key_");
    assertThat(app.path("created_at").asText()).endsWith("Z");

    String appId = app.path("app_id").asText();
    ApiClient.Response got = api().get("/v1/apps/" + appId, service.adminKey);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json().path("name").asText()).isEqualTo(app.path("name").asText());
    assertThat(got.body()).doesNotContain("alter_key_app_");

    ApiClient.Response keys = api().get("/v1/apps/" + appId + "/keys", service.adminKey);
    assertThat(keys.status()).isEqualTo(200);
    assertThat(keys.json().path("keys")).hasSize(1);
    assertThat(keys.body()).doesNotContain("alter_key_app_");
    assertThat(keys.json().path("keys").get(0).has("revoked_at")).isTrue();

    ApiClient.Response list = api().get("/v1/apps", service.adminKey);
    assertThat(list.json().path("apps").findValuesAsText("app_id")).contains(appId);
  }

  @Test
  void storesOnlyTheHashOfAppKeys() {
    JsonNode app = service.createApp("hashed-" + System.nanoTime());
    String key = app.path("api_key").path("key").asText();
    assertThat(String.join("\n", service.rows("api_keys")))
        .doesNotContain(key)
        .doesNotContain(key.substring("alter_key_app_".length()));
  }

  @Test
  void keysAreAddedAndRevokedIndividually() {
    JsonNode app = service.createApp("keys-" + System.nanoTime());
    String appId = app.path("app_id").asText();
    ApiClient.Response second = api().post("/v1/apps/" + appId + "/keys", service.adminKey, "{}");
    assertThat(second.status()).isEqualTo(201);
    assertThat(second.text("key")).startsWith("alter_key_app_");
    assertThat(second.text("key")).isNotEqualTo(app.path("api_key").path("key").asText());

    String firstKeyId = app.path("api_key").path("key_id").asText();
    String body =
        "{\"grant\":\"grt_none\",\"destination\":{\"method\":\"GET\",\"url\":\"https://x.example\"},"
            + "\"public_key\":\""
            + "A".repeat(43)
            + "\"}";
    // used just before the revocation, so the service has it among its recently checked live keys
    assertThat(api().post("/v1/resolve", app.path("api_key").path("key").asText(), body).code())
        .isEqualTo("grant_not_found");
    ApiClient.Response revoked =
        api().delete("/v1/apps/" + appId + "/keys/" + firstKeyId, service.adminKey);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.text("revoked_at")).isNotNull();

    // the revoked key no longer resolves, at once; the other one still authenticates
    assertThat(api().post("/v1/resolve", app.path("api_key").path("key").asText(), body).code())
        .isEqualTo("unauthorized_app");
    assertThat(api().post("/v1/resolve", second.text("key"), body).code())
        .isEqualTo("grant_not_found");

    JsonNode keys = api().get("/v1/apps/" + appId + "/keys", service.adminKey).json().path("keys");
    assertThat(keys).hasSize(2);
    assertThat(keys.findValuesAsText("key_id")).contains(firstKeyId, second.text("key_id"));
  }

  @Test
  void aKeyRevokedByAnotherReplicaStopsWorkingOnceItsChangeIsRead() throws Exception {
    JsonNode app = service.createApp("elsewhere-" + System.nanoTime());
    String key = app.path("api_key").path("key").asText();
    String keyId = app.path("api_key").path("key_id").asText();
    String body =
        "{\"grant\":\"grt_none\",\"destination\":{\"method\":\"GET\",\"url\":\"https://x.example\"},"
            + "\"public_key\":\""
            + "A".repeat(43)
            + "\"}";
    assertThat(api().post("/v1/resolve", key, body).code()).isEqualTo("grant_not_found");

    // a revocation this process did not make, committed as another replica commits it: the key's
    // row and its change log entry in one transaction (the notification, on PostgreSQL, with it)
    long seq = service.count("SELECT last_seq FROM change_log_head") + 1;
    boolean postgres = service.store.backend == Backend.POSTGRESQL;
    service.executeAll(
        "UPDATE api_keys SET revoked_at = 1 WHERE key_id = '" + keyId + "'",
        "UPDATE change_log_head SET last_seq = " + seq,
        "INSERT INTO change_log (seq, occurred_at, kind, app_id, subject_id) VALUES ("
            + seq
            + ", "
            + System.currentTimeMillis()
            + ", 'app_key_revoked', '"
            + app.path("app_id").asText()
            + "', '"
            + keyId
            + "')",
        postgres ? "SELECT pg_notify('alter_changes', '" + seq + "')" : null);

    // PostgreSQL: the notification wakes the replica at once; the embedded store has no other
    // process and no notification, so its fallback read (every 5 s) is what finds the entry here
    long deadline = System.nanoTime() + (postgres ? 2_000_000_000L : 7_000_000_000L);
    String code = api().post("/v1/resolve", key, body).code();
    while (!"unauthorized_app".equals(code) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      code = api().post("/v1/resolve", key, body).code();
    }
    assertThat(code).isEqualTo("unauthorized_app");
  }

  @Test
  void duplicateNameConflictsAndChangesNothing() {
    String name = "dup-" + System.nanoTime();
    service.createApp(name);
    Map<String, List<String>> before = service.snapshot();
    ApiClient.Response r = api().post("/v1/apps", service.adminKey, "{\"name\":\"" + name + "\"}");
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.code()).isEqualTo("conflict");
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(service.snapshot()).isEqualTo(before);
  }

  @Test
  void badAppInputIsRejectedAndChangesNothing() {
    Map<String, List<String>> before = service.snapshot();
    for (String body :
        List.of(
            "{}",
            "{\"name\":\"\"}",
            "{\"name\":\"has space\"}",
            "{\"name\":\"" + "x".repeat(65) + "\"}",
            "{\"name\":5}",
            "{\"name\":true}",
            "{\"name\":[\"a\"]}",
            "{\"name\":\"ok\",\"extra\":1}",
            "{\"name\":",
            "[]",
            "null",
            "\"text\"",
            "{\"name\":\"a\"} trailing",
            "{\"name\":\"a\",\"name\":\"b\"}")) {
      ApiClient.Response r = api().post("/v1/apps", service.adminKey, body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.code()).as(body).isEqualTo("validation_failed");
      assertThat(r.contentType()).startsWith("application/problem+json");
    }
    assertThat(service.snapshot()).isEqualTo(before);
  }

  @Test
  void validationErrorsNameTheField() {
    // an unknown name is the caller's text: the answer lists the known fields instead
    assertThat(
            api()
                .post("/v1/apps", service.adminKey, "{\"name\":\"ok\",\"colour\":1}")
                .json()
                .path("detail")
                .asText())
        .contains("known fields: name")
        .doesNotContain("colour");
    assertThat(
            api().post("/v1/apps", service.adminKey, "{\"name\":5}").json().path("detail").asText())
        .contains("name");
  }

  @Test
  void unknownAppsAndKeysAreNotFound() {
    assertThat(api().get("/v1/apps/app_missing", service.adminKey).code()).isEqualTo("not_found");
    assertThat(api().get("/v1/apps/app_missing/keys", service.adminKey).code())
        .isEqualTo("not_found");
    assertThat(api().post("/v1/apps/app_missing/keys", service.adminKey, "{}").code())
        .isEqualTo("not_found");
    JsonNode app = service.createApp("other-" + System.nanoTime());
    JsonNode another = service.createApp("another-" + System.nanoTime());
    Map<String, List<String>> before = service.snapshot();
    // a key of another app cannot be revoked through this app
    ApiClient.Response r =
        api()
            .delete(
                "/v1/apps/"
                    + app.path("app_id").asText()
                    + "/keys/"
                    + another.path("api_key").path("key_id").asText(),
                service.adminKey);
    assertThat(r.status()).isEqualTo(404);
    assertThat(service.snapshot()).isEqualTo(before);
    assertThat(
            api()
                .post(
                    "/v1/apps/" + app.path("app_id").asText() + "/keys",
                    service.adminKey,
                    "{\"x\":1}")
                .code())
        .isEqualTo("validation_failed");
    assertThat(service.snapshot()).isEqualTo(before);
  }

  @Test
  void operatorActionsAreAudited() {
    JsonNode app = service.createApp("audited-" + System.nanoTime());
    String appId = app.path("app_id").asText();
    String keyId = app.path("api_key").path("key_id").asText();
    api().delete("/v1/apps/" + appId + "/keys/" + keyId, service.adminKey);
    JsonNode events =
        api().get("/v1/audit?app_id=" + appId, service.adminKey).json().path("events");
    assertThat(events.findValuesAsText("action"))
        .contains("app.create", "app_key.create", "app_key.revoke");
    assertThat(events.findValuesAsText("actor")).allMatch(a -> a.startsWith("admin:key_"));
    assertThat(events.findValuesAsText("outcome")).containsOnly("ok");
  }
}
