package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Admin key, app key, no key and revoked key against every endpoint. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class AuthorizationMatrixTest {
  @Parameter Backend backend;
  static TestService service;
  static String appKey;
  static String revokedAppKey;
  static String appId;
  static String secretId;
  static String grantId;
  static String keyId;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    service = TestService.start(backend, AuthorizationMatrixTest.class);
    JsonNode app = service.createApp("matrix");
    appId = app.path("app_id").asText();
    appKey = app.path("api_key").path("key").asText();
    JsonNode second =
        service.api.post("/v1/apps/" + appId + "/keys", service.adminKey, "{}").json();
    revokedAppKey = second.path("key").asText();
    service.api.delete(
        "/v1/apps/" + appId + "/keys/" + second.path("key_id").asText(), service.adminKey);
    secretId = service.createSecret(appId, "stripe", "sk-matrix", null).path("secret_id").asText();
    grantId = service.createSystemGrant(secretId, "m").path("grant_id").asText();
    keyId = app.path("api_key").path("key_id").asText();
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    service.close();
  }

  private record Call(String method, String path, String body) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** Every admin endpoint, with bodies that would be valid. */
  private static List<Call> adminCalls() {
    return List.of(
        new Call("POST", "/v1/apps", "{\"name\":\"m-" + System.nanoTime() + "\"}"),
        new Call("GET", "/v1/apps", null),
        new Call("GET", "/v1/apps/" + appId, null),
        new Call("POST", "/v1/apps/" + appId + "/keys", "{}"),
        new Call("GET", "/v1/apps/" + appId + "/keys", null),
        new Call("DELETE", "/v1/apps/" + appId + "/keys/key_nonexistent", null),
        new Call(
            "POST",
            "/v1/secrets",
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\"stripe\",\"label\":\"x\",\"credential\":\"sk\"}"),
        new Call("GET", "/v1/secrets?app_id=" + appId, null),
        new Call("GET", "/v1/secrets/" + secretId, null),
        new Call("PUT", "/v1/secrets/" + secretId + "/credential", "{\"credential\":\"sk-2\"}"),
        new Call("PATCH", "/v1/secrets/" + secretId, "{\"ttl_seconds\":30}"),
        new Call("DELETE", "/v1/secrets/ms_nonexistent", null),
        new Call(
            "POST",
            "/v1/grants",
            "{\"secret_id\":\""
                + secretId
                + "\",\"principal\":{\"type\":\"system\",\"label\":\"x\"}}"),
        new Call("GET", "/v1/grants?secret_id=" + secretId, null),
        new Call("GET", "/v1/grants/" + grantId, null),
        new Call("POST", "/v1/grants/grt_nonexistent/revoke", "{}"),
        new Call("GET", "/v1/audit", null),
        new Call("GET", "/v1/providers", null),
        new Call("GET", "/v1/master-keys", null),
        new Call("GET", "/v1/admin-keys", null),
        new Call("DELETE", "/v1/admin-keys/key_nonexistent", null),
        new Call("POST", "/v1/master-keys/rewrap", "{}"));
  }

  private static Call resolveCall() {
    return new Call(
        "POST",
        "/v1/resolve",
        "{\"grant\":\""
            + grantId
            + "\",\"destination\":{\"method\":\"GET\","
            + "\"url\":\"https://api.stripe.com/v1/charges\"},\"public_key\":\""
            + dev.alter.contract.CredentialSealing.encodePublicKey(
                dev.alter.contract.X25519Keys.rawPublicKey(
                    dev.alter.contract.X25519Keys.generate().getPublic()))
            + "\"}");
  }

  private static ApiClient.Response call(Call c, String key) {
    return service.api.send(c.method(), c.path(), key, c.body());
  }

  @Test
  void adminKeyReachesEveryAdminEndpointButNotResolve() {
    for (Call c : adminCalls()) {
      ApiClient.Response r = call(c, service.adminKey);
      assertThat(r.status()).as(c + " → " + r.body()).isIn(200, 201, 204, 404);
      assertThat(r.code()).as(c.toString()).isNotIn("unauthorized", "forbidden");
    }
    ApiClient.Response r = call(resolveCall(), service.adminKey);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("forbidden");
  }

  @Test
  void appKeyReachesOnlyResolve() {
    for (Call c : adminCalls()) {
      ApiClient.Response r = call(c, appKey);
      assertThat(r.status()).as(c.toString()).isEqualTo(403);
      assertThat(r.code()).as(c.toString()).isEqualTo("forbidden");
    }
    assertThat(call(resolveCall(), appKey).status()).isEqualTo(200);
  }

  @Test
  void noKeyUnknownKeyAndRevokedKeyAreUnauthorizedEverywhere() {
    List<String> badKeys = new ArrayList<>();
    badKeys.add(null);
    badKeys.add("alter_key_admin_" + "x".repeat(43));
    badKeys.add("alter_key_app_" + "x".repeat(43));
    badKeys.add(revokedAppKey);
    badKeys.add("not-a-key");
    for (String key : badKeys) {
      Map<String, List<String>> before = service.snapshot();
      for (Call c : adminCalls()) {
        ApiClient.Response r = call(c, key);
        assertThat(r.status())
            .as(c + " with " + (key == null ? "no key" : "a bad key"))
            .isEqualTo(401);
        assertThat(r.code()).isEqualTo("unauthorized");
      }
      ApiClient.Response r = call(resolveCall(), key);
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.code()).isEqualTo("unauthorized_app");
      Map<String, List<String>> after = service.snapshot();
      // only the audit trail grows: the denied resolve is recorded
      after.remove("audit_events");
      before.remove("audit_events");
      assertThat(after).isEqualTo(before);
    }
  }

  @Test
  void malformedAuthorizationHeadersAreUnauthorized() {
    for (String header :
        List.of(
            "Basic abc",
            "Bearer",
            "Bearer  ",
            service.adminKey,
            "Bearer " + service.adminKey.toUpperCase(),
            "Bearer " + service.adminKey + "x")) {
      ApiClient.Response r = service.api.sendWithAuthorization("GET", "/v1/apps", header, null);
      assertThat(r.status()).as(header + " -> " + r.body()).isEqualTo(401);
    }
  }

  @BeforeEach
  void keysStillValid() {
    assertThat(service.api.get("/v1/apps", service.adminKey).status()).isEqualTo(200);
  }

  @Test
  void healthAndMetricsNeedNoKey() {
    assertThat(service.api.get("/healthz", null).status()).isEqualTo(200);
    assertThat(service.api.get("/readyz", null).status()).isEqualTo(200);
    assertThat(service.api.get("/metrics", null).status()).isEqualTo(200);
  }
}
