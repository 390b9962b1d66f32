package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import dev.alter.testing.TestIdp;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code /v1/idps} and {@code /v1/agents}: every endpoint, its errors, and its audit records. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class IdentityAdminApiTest {
  @Parameter Backend backend;
  static TestService service;
  static TestIdp idp;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    service = TestService.start(backend, IdentityAdminApiTest.class);
    idp = TestIdp.start("https://sso.admin.test/realms/corp");
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    idp.close();
    service.close();
  }

  private static ApiClient.Response post(String path, String body) {
    return service.api.post(path, service.adminKey, body);
  }

  @Test
  void identityProviderIsCreatedListedShownUpdatedAndDeleted() {
    ApiClient.Response created =
        post(
            "/v1/idps",
            "{\"issuer\":"
                + ApiClient.quote(idp.issuer())
                + ",\"jwks_url\":"
                + ApiClient.quote(idp.jwksUrl())
                + ",\"audiences\":[\"orders-backend\"],"
                + "\"algorithms\":[\"RS256\",\"ES256\"],\"group_claim\":\"realm_access.roles\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode idpJson = created.json();
    String idpId = idpJson.path("idp_id").asText();
    assertThat(idpId).matches("idp_[0-9a-f]{20}");
    assertThat(idpJson.path("issuer").asText()).isEqualTo(idp.issuer());
    assertThat(idpJson.path("jwks_url").asText()).isEqualTo(idp.jwksUrl());
    assertThat(idpJson.path("algorithms").toString()).isEqualTo("[\"RS256\",\"ES256\"]");
    assertThat(idpJson.path("clock_skew_seconds").asInt()).isEqualTo(60);
    assertThat(idpJson.path("user_claim").asText()).isEqualTo("sub");
    assertThat(idpJson.path("group_claim").asText()).isEqualTo("realm_access.roles");

    assertThat(service.api.get("/v1/idps/" + idpId, service.adminKey).json()).isEqualTo(idpJson);
    assertThat(
            service
                .api
                .get("/v1/idps", service.adminKey)
                .json()
                .path("idps")
                .findValuesAsText("idp_id"))
        .contains(idpId);

    ApiClient.Response patched =
        service.api.patch(
            "/v1/idps/" + idpId,
            service.adminKey,
            "{\"audiences\":[\"a\",\"b\"],\"clock_skew_seconds\":30}");
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().path("audiences").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(patched.json().path("clock_skew_seconds").asInt()).isEqualTo(30);
    assertThat(patched.text("issuer")).isEqualTo(idp.issuer());

    assertThat(service.api.delete("/v1/idps/" + idpId, service.adminKey).status()).isEqualTo(204);
    assertThat(service.api.get("/v1/idps/" + idpId, service.adminKey).code())
        .isEqualTo("not_found");
    assertThat(service.api.delete("/v1/idps/" + idpId, service.adminKey).code())
        .isEqualTo("not_found");
    assertThat(
            service.api.patch("/v1/idps/" + idpId, service.adminKey, "{\"issuer\":\"x\"}").code())
        .isEqualTo("not_found");

    List<String> actions =
        service
            .api
            .get("/v1/audit?limit=1000", service.adminKey)
            .json()
            .path("events")
            .findValues("principal")
            .stream()
            .map(JsonNode::asText)
            .filter(("idp:" + idpId)::equals)
            .toList();
    assertThat(actions).hasSize(3);
    assertThat(
            service.count(
                "SELECT COUNT(*) FROM audit_events WHERE action IN ('idp.create','idp.update','idp.delete')"
                    + " AND principal = 'idp:"
                    + idpId
                    + "'"))
        .isEqualTo(3);
  }

  @Test
  void airGappedKeysAreGivenAsJwksOrPemText() throws Exception {
    String jwks = new JWKSet(List.of(idp.rsa.toPublicJWK(), idp.ec.toPublicJWK())).toString(true);
    ApiClient.Response fromJwks =
        post(
            "/v1/idps",
            "{\"issuer\":\"https://airgap.test\",\"jwks\":"
                + ApiClient.quote(jwks)
                + ",\"audiences\":[\"x\"],\"algorithms\":[\"RS256\"]}");
    assertThat(fromJwks.status()).as(fromJwks.body()).isEqualTo(201);
    assertThat(fromJwks.text("jwks")).isEqualTo(jwks);
    assertThat(fromJwks.json().path("jwks_url").isNull()).isTrue();

    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(idp.rsa.toRSAPublicKey().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    ApiClient.Response fromPem =
        post(
            "/v1/idps",
            "{\"issuer\":\"https://airgap.test\",\"jwks_pem\":"
                + ApiClient.quote(pem)
                + ",\"audiences\":[\"x\"],\"algorithms\":[\"RS256\"]}");
    assertThat(fromPem.status()).as(fromPem.body()).isEqualTo(201);
    assertThat(fromPem.text("jwks_pem")).isEqualTo(pem);
  }

  @Test
  void badIdentityProviderInputIsRejectedNamingTheFieldAndChangesNothing() throws Exception {
    String url = ApiClient.quote(idp.jwksUrl());
    String privateJwks = new JWKSet(idp.rsa).toString(false);
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put(
        "{\"jwks_url\":" + url + ",\"audiences\":[\"a\"],\"algorithms\":[\"RS256\"]}", "issuer");
    cases.put("{\"issuer\":\"i\",\"audiences\":[\"a\"],\"algorithms\":[\"RS256\"]}", "jwks_url");
    cases.put(
        "{\"issuer\":\"i\",\"jwks_url\":"
            + url
            + ",\"jwks\":\"{}\",\"audiences\":[\"a\"],\"algorithms\":[\"RS256\"]}",
        "jwks_pem");
    cases.put(
        "{\"issuer\":\"i\",\"jwks_url\":\"http://sso.example.com/jwks\",\"audiences\":[\"a\"],\"algorithms\":[\"RS256\"]}",
        "jwks_url");
    cases.put(
        "{\"issuer\":\"i\",\"jwks_url\":\"/etc/keys.pem\",\"audiences\":[\"a\"],\"algorithms\":[\"RS256\"]}",
        "jwks_url");
    cases.put(
        "{\"issuer\":\"i\",\"jwks\":"
            + ApiClient.quote(privateJwks)
            + ",\"audiences\":[\"a\"],\"algorithms\":[\"RS256\"]}",
        "jwks");
    cases.put(
        "{\"issuer\":\"i\",\"jwks_url\":" + url + ",\"audiences\":[],\"algorithms\":[\"RS256\"]}",
        "audiences");
    cases.put(
        "{\"issuer\":\"i\",\"jwks_url\":"
            + url
            + ",\"audiences\":[\"a\"],\"algorithms\":[\"HS256\"]}",
        "algorithms");
    cases.put(
        "{\"issuer\":\"i\",\"jwks_url\":"
            + url
            + ",\"audiences\":[\"a\"],\"algorithms\":[\"none\"]}",
        "algorithms");
    cases.put(
        "{\"issuer\":\"i\",\"jwks_url\":"
            + url
            + ",\"audiences\":[\"a\"],\"algorithms\":[\"RS256\"],\"clock_skew_seconds\":301}",
        "clock_skew_seconds");
    cases.put(
        "{\"issuer\":\"i\",\"jwks_url\":"
            + url
            + ",\"audiences\":[\"a\"],\"algorithms\":[\"RS256\"],\"group_claim\":\"a..b\"}",
        "group_claim");
    cases.put(
        "{\"issuer\":\"i\",\"jwks_url\":"
            + url
            + ",\"audiences\":[\"a\"],\"algorithms\":[\"RS256\"],\"jwks_file\":\"/etc/k\"}",
        "known fields: ");
    Map<String, List<String>> before = service.snapshot();
    cases.forEach(
        (body, field) -> {
          ApiClient.Response r = post("/v1/idps", body);
          assertThat(r.status()).as(body + " → " + r.body()).isEqualTo(400);
          assertThat(r.code()).isEqualTo("validation_failed");
          assertThat(r.json().path("detail").asText()).as(body).contains(field);
        });
    assertThat(service.snapshot()).isEqualTo(before);
    assertThat(privateJwks).contains("\"d\"");
    assertThat(String.join("\n", service.api.bodies))
        .doesNotContain(idp.rsa.getPrivateExponent().toString());
  }

  @Test
  void agentTokenIsShownOnceStoredAsItsProofKeyRotatedAndRevoked() {
    ApiClient.Response created = post("/v1/agents", "{\"label\":\"nightly-export\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String agentId = created.text("agent_id");
    String token = created.text("token");
    assertThat(agentId).matches("agt_[0-9a-f]{20}");
    assertThat(token).matches("alter_key_agent_[A-Za-z0-9_-]{43}");

    ApiClient.Response shown = service.api.get("/v1/agents/" + agentId, service.adminKey);
    assertThat(shown.text("label")).isEqualTo("nightly-export");
    assertThat(shown.json().path("token_created_at").isTextual()).isTrue();
    assertThat(shown.body()).doesNotContain(token);
    assertThat(service.api.get("/v1/agents", service.adminKey).body())
        .contains(agentId)
        .doesNotContain(token);
    assertThat(String.join("\n", service.rows("agent_tokens")))
        .doesNotContain(token)
        .doesNotContain(dev.alter.identity.AgentTokens.hash(token))
        .contains(dev.alter.contract.proof.ProofKey.keyIdOf(token));

    ApiClient.Response rotated = post("/v1/agents/" + agentId + "/tokens", "{}");
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
    assertThat(rotated.text("token")).startsWith("alter_key_agent_").isNotEqualTo(token);
    assertThat(
            service.count(
                "SELECT COUNT(*) FROM agent_tokens WHERE agent_id = '"
                    + agentId
                    + "' AND revoked_at IS NULL"))
        .as("rotation revokes the previous token")
        .isEqualTo(1);

    ApiClient.Response revoked = post("/v1/agents/" + agentId + "/revoke", "{}");
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().path("revoked_at").isTextual()).isTrue();
    assertThat(revoked.json().path("token_created_at").isNull()).isTrue();
    assertThat(post("/v1/agents/" + agentId + "/revoke", "{}").json()).isEqualTo(revoked.json());
    assertThat(post("/v1/agents/" + agentId + "/tokens", "{}").code()).isEqualTo("conflict");

    assertThat(
            service.count(
                "SELECT COUNT(*) FROM audit_events WHERE principal = 'agent:"
                    + agentId
                    + "' AND action IN ('agent.create','agent.rotate_token','agent.revoke')"))
        .isEqualTo(3);
  }

  @Test
  void badAgentInputIsRejectedAndChangesNothing() {
    Map<String, List<String>> before = service.snapshot();
    assertThat(post("/v1/agents", "{}").code()).isEqualTo("validation_failed");
    assertThat(post("/v1/agents", "{\"label\":\"a\\nb\"}").code()).isEqualTo("validation_failed");
    assertThat(post("/v1/agents", "{\"label\":\"x\",\"token\":\"mine\"}").code())
        .isEqualTo("validation_failed");
    assertThat(post("/v1/agents/agt_missing/tokens", "{}").code()).isEqualTo("not_found");
    assertThat(post("/v1/agents/agt_missing/revoke", "{}").code()).isEqualTo("not_found");
    assertThat(service.api.get("/v1/agents/agt_missing", service.adminKey).code())
        .isEqualTo("not_found");
    assertThat(service.snapshot()).isEqualTo(before);
  }

  @Test
  void grantsMustNameARegisteredIdentityProviderOrAgent() {
    String appId = service.createApp("idgrants-" + System.nanoTime()).path("app_id").asText();
    String secretId =
        service.createSecret(appId, "stripe", "sk-x", null).path("secret_id").asText();
    Map<String, List<String>> before = service.snapshot();
    for (String principal :
        List.of(
            "{\"type\":\"user\",\"user_id\":\"alice\",\"idp_id\":\"idp_missing\"}",
            "{\"type\":\"group\",\"external_group_id\":\"sre\",\"idp_id\":\"idp_missing\"}",
            "{\"type\":\"agent\",\"agent_id\":\"agt_missing\"}")) {
      ApiClient.Response r =
          post(
              "/v1/grants", "{\"secret_id\":\"" + secretId + "\",\"principal\":" + principal + "}");
      assertThat(r.status()).as(r.body()).isEqualTo(404);
      assertThat(r.code()).isEqualTo("not_found");
    }
    assertThat(service.snapshot()).isEqualTo(before);
  }

  @Test
  void identityEndpointsNeedAnAdminKey() {
    String appKey =
        service.createApp("idauth-" + System.nanoTime()).path("api_key").path("key").asText();
    for (String path : List.of("/v1/idps", "/v1/agents")) {
      assertThat(service.api.get(path, null).code()).isEqualTo("unauthorized");
      assertThat(service.api.get(path, appKey).code()).isEqualTo("forbidden");
      assertThat(service.api.post(path, appKey, "{}").code()).isEqualTo("forbidden");
    }
  }
}
