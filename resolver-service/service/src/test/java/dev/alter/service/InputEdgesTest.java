package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.X25519Keys;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Input at the edges of what the API reads: timestamps outside RFC 3339's years, characters that
 * cannot be stored faithfully, bodies that are not UTF-8, values that must not come back in an
 * error, audit filters naming nothing. Each is refused with a code naming the field, and nothing
 * changes.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class InputEdgesTest {
  private static final String FAR = "+999999999-12-31T23:59:59Z";

  /**
   * JSON escapes of what no stored text may hold: C1 controls, U+2028/U+2029, unpaired surrogates.
   */
  private static final List<String> REFUSED =
      List.of(
          "\\u0080", "\\u0085", "\\u009f", "\\u2028", "\\u2029", "\\ud800", "\\udfff", "x\\ud83dy");

  @Parameter Backend backend;
  static TestService service;
  static String appId;
  static String secretId;
  static String grantId;
  static String appKey;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    service = TestService.start(backend, InputEdgesTest.class);
    JsonNode app = service.createApp("edges");
    appId = app.path("app_id").asText();
    appKey = app.path("api_key").path("key").asText();
    secretId = service.createSecret(appId, "stripe", "sk-edges", null).path("secret_id").asText();
    grantId = service.createSystemGrant(secretId, "edges").path("grant_id").asText();
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    service.close();
  }

  /**
   * Sends, expects 400 validation_failed whose detail names {@code field}, and no change to any
   * table.
   */
  private static ApiClient.Response refused(String method, String path, String body, String field) {
    Map<String, List<String>> before = service.snapshot();
    ApiClient.Response r = service.api.send(method, path, service.adminKey, body);
    assertThat(r.status()).as(body + " → " + r.body()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("validation_failed");
    assertThat(r.json().path("detail").asText()).as(r.body()).contains(field);
    assertThat(service.snapshot()).isEqualTo(before);
    return r;
  }

  @Test
  void outOfRangeTimestampsAreValidationErrorsNamingTheField() {
    for (String time :
        List.of(
            FAR, "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "0000-12-31T23:59:59Z")) {
      refused(
          "POST",
          "/v1/grants",
          "{\"secret_id\":\""
              + secretId
              + "\",\"label\":\"far\",\"expires_at\":\""
              + time
              + "\",\"principal\":{\"type\":\"system\",\"label\":\"svc\"}}",
          "expires_at");
      for (String filter : List.of("from", "to")) {
        ApiClient.Response r =
            service.api.get(
                "/v1/audit?" + filter + "=" + time.replace("+", "%2B"), service.adminKey);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("validation_failed");
        assertThat(r.json().path("detail").asText()).startsWith(filter + " ");
      }
    }
    for (String expiry : List.of(FAR, "999999999999")) {
      refused(
          "POST",
          "/v1/secrets",
          "{\"app_id\":\""
              + appId
              + "\",\"provider\":\"aws\",\"label\":\"far\","
              + "\"credential\":\"AKIAIOSFODNN7EXAMPLE\",\"credential_parts\":{\"secret_access_key\":\"k\","
              + "\"session_token\":\"t\",\"session_expires_at\":\""
              + expiry
              + "\"}}",
          "credential_parts.session_expires_at");
    }
    ApiClient.Response latest =
        service.api.post(
            "/v1/grants",
            service.adminKey,
            "{\"secret_id\":\""
                + secretId
                + "\",\"label\":\"latest\",\"expires_at\":\"9999-12-31T23:59:59Z\",\"principal\":{\"type\":\"system\",\"label\":\"svc\"}}");
    assertThat(latest.status()).as(latest.body()).isEqualTo(201);
    assertThat(latest.text("expires_at")).isEqualTo("9999-12-31T23:59:59Z");
  }

  @Test
  void unstorableCharactersAreRefusedInEveryStoredTextField() {
    for (String ch : REFUSED) {
      Map<String, String> bodies = new LinkedHashMap<>();
      bodies.put("name", "{\"name\":\"app" + ch + "\"}");
      bodies.put("credential", secretBody("\"credential\":\"sk" + ch + "live\""));
      bodies.put("label", secretBody("\"label\":\"l" + ch + "\""));
      bodies.put(
          "credential_parts.session_token",
          "{\"app_id\":\""
              + appId
              + "\",\"provider\":\"aws\",\"label\":\"a\","
              + "\"credential\":\"AKIAIOSFODNN7EXAMPLE\",\"credential_parts\":{\"secret_access_key\":\"k\",\"session_token\":\"t"
              + ch
              + "\"}}");
      bodies.put(
          "destinations[0]",
          secretBody("\"destinations\":[\"https://api.example" + ch + ".com\"]"));
      for (Map.Entry<String, String> b : bodies.entrySet()) {
        String path = b.getKey().equals("name") ? "/v1/apps" : "/v1/secrets";
        ApiClient.Response r = refused("POST", path, b.getValue(), "'" + b.getKey() + "'");
        assertThat(r.body()).doesNotContain("live", "example");
      }
      refused(
          "PUT",
          "/v1/secrets/" + secretId + "/credential",
          "{\"credential\":\"sk" + ch + "\"}",
          "'credential'");
      refused(
          "POST",
          "/v1/grants",
          "{\"secret_id\":\""
              + secretId
              + "\",\"label\":\"g"
              + ch
              + "\",\"principal\":{\"type\":\"system\",\"label\":\"svc\"}}",
          "'label'");
      refused(
          "POST",
          "/v1/grants",
          "{\"secret_id\":\""
              + secretId
              + "\",\"label\":\"g\",\"principal\":{\"type\":\"system\","
              + "\"label\":\"s"
              + ch
              + "\"}}",
          "'principal.label'");
      refused("POST", "/v1/agents", "{\"label\":\"a" + ch + "\"}", "'label'");
    }
    // the same characters sent raw (UTF-8 encoded) rather than escaped
    for (String raw : List.of("\u0085", "\u2028", "\u2029")) {
      refused("POST", "/v1/apps", "{\"name\":\"app" + raw + "\"}", "'name'");
    }
    // a character outside the BMP, correctly paired, is stored as sent
    ApiClient.Response paired =
        service.api.post(
            "/v1/secrets", service.adminKey, secretBody("\"label\":\"emoji \\ud83d\\ude00\""));
    assertThat(paired.status()).as(paired.body()).isEqualTo(201);
    assertThat(paired.text("label")).isEqualTo("emoji \uD83D\uDE00");
  }

  private static String secretBody(String override) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("app_id", "\"" + appId + "\"");
    fields.put("provider", "\"custom\"");
    fields.put("label", "\"custom\"");
    fields.put("credential", "\"sk\"");
    fields.put(
        "injection",
        "{\"type\":\"header\",\"headers\":[{\"name\":\"X-Key\",\"template\":\"{credential}\"}]}");
    fields.put("destinations", "[\"https://api.example.com\"]");
    String key = override.substring(1, override.indexOf('"', 1));
    fields.put(key, override.substring(override.indexOf(':') + 1));
    StringBuilder sb = new StringBuilder("{");
    fields.forEach(
        (k, v) ->
            sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
    return sb.append('}').toString();
  }

  @Test
  void wildcardsDirectlyUnderAPublicSuffixAreRefused() {
    for (String pattern :
        List.of(
            "https://*.co.uk",
            "https://**.co.uk",
            "https://**.github.io",
            "https://*.github.io",
            "https://*.s3.amazonaws.com",
            "https://**.appspot.com",
            "https://*.com.cn",
            "https://*.com.au")) {
      refused(
          "POST",
          "/v1/secrets",
          secretBody("\"destinations\":[\"https://api.example.com\",\"" + pattern + "\"]"),
          "destinations[1]: a wildcard directly under a public suffix");
      refused(
          "PATCH",
          "/v1/secrets/" + secretId,
          "{\"destinations\":[\"" + pattern + "\"]}",
          "destinations[0]");
    }
    for (String pattern :
        List.of(
            "https://*.example.co.uk",
            "https://**.example.github.io",
            "https://**.amazonaws.com",
            "https://github.io",
            "https://co.uk")) {
      ApiClient.Response r =
          service.api.post(
              "/v1/secrets",
              service.adminKey,
              secretBody("\"destinations\":[\"" + pattern + "\"]"));
      assertThat(r.status()).as(pattern + " → " + r.body()).isEqualTo(201);
    }
  }

  @Test
  void aProvidersOwnEndpointsUnderAPublicSuffixAreAllowedForThatProviderOnly() {
    String appId = service.createApp("aws-buckets").path("app_id").asText();
    for (String pattern :
        List.of("https://*.s3.eu-west-1.amazonaws.com", "https://*.s3.amazonaws.com:8443")) {
      ApiClient.Response aws =
          service.api.post(
              "/v1/secrets",
              service.adminKey,
              "{\"app_id\":\""
                  + appId
                  + "\",\"provider\":\"aws\",\"label\":\"buckets\",\"credential\":\"AKIAIOSFODNN7EXAMPLE\","
                  + "\"credential_parts\":{\"secret_access_key\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"},"
                  + "\"destinations\":[\""
                  + pattern
                  + "\"]}");
      assertThat(aws.status()).as(pattern + " for aws → " + aws.body()).isEqualTo(201);
      refused(
          "POST",
          "/v1/secrets",
          secretBody("\"destinations\":[\"" + pattern + "\"]"),
          "destinations[0]: a wildcard directly under a public suffix");
    }
  }

  @Test
  void numericHostFormsAndSignedPortsAreRefusedWhereSecretsAreStored() {
    for (String pattern :
        List.of(
            "https://2130706433",
            "https://127.1",
            "https://0x7f000001",
            "https://0177.0.0.1",
            "https://127.0.0.01",
            "https://api.example.com:+443")) {
      refused(
          "POST",
          "/v1/secrets",
          secretBody("\"destinations\":[\"" + pattern + "\"]"),
          "destinations[0]: ");
    }
  }

  @Test
  void aNumericHostStoredBeforeItWasRefusedFailsClosedAtResolve() {
    JsonNode app = service.createApp("legacy");
    String legacySecret =
        service
            .createSecret(app.path("app_id").asText(), "stripe", "sk-legacy", null)
            .path("secret_id")
            .asText();
    String legacyGrant =
        service.createSystemGrant(legacySecret, "legacy").path("grant_id").asText();
    assertThat(
            service.execute(
                "UPDATE secrets SET destinations = '[\"https://api.stripe.com\",\"https://127.1\"]' "
                    + "WHERE secret_id = '"
                    + legacySecret
                    + "'"))
        .isEqualTo(1);
    ApiClient.Response r =
        service.api.post(
            "/v1/resolve",
            app.path("api_key").path("key").asText(),
            "{\"grant\":\""
                + legacyGrant
                + "\",\"destination\":{\"method\":\"GET\",\"url\":\"https://api.stripe.com/v1/charges\"},"
                + "\"public_key\":\""
                + CredentialSealing.encodePublicKey(
                    X25519Keys.rawPublicKey(X25519Keys.generate().getPublic()))
                + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("host_not_allowed");
    assertThat(r.text("grant_id")).isEqualTo(legacyGrant);
    assertThat(r.body()).doesNotContain("sk-legacy");
  }

  @Test
  void aBodyThatIsNotWellFormedUtf8IsRefused() {
    byte[][] malformed = {
      {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
      {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // overlong '/', three bytes
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate (CESU-8)
      {(byte) 0xE2, (byte) 0x82}, // truncated
      {(byte) 0xFF}, // never valid
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
    };
    for (byte[] bad : malformed) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes(
          ("{\"app_id\":\""
                  + appId
                  + "\",\"provider\":\"stripe\",\"label\":\"utf8\",\"credential\":\"sk")
              .getBytes(StandardCharsets.UTF_8));
      body.writeBytes(bad);
      body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
      Map<String, List<String>> before = service.snapshot();
      ApiClient.Response r =
          service.api.postBytes("/v1/secrets", service.adminKey, body.toByteArray());
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("validation_failed");
      assertThat(r.json().path("detail").asText()).contains("UTF-8");
      assertThat(service.snapshot()).isEqualTo(before);
    }
  }

  @Test
  void errorsNameTheFieldAndNeverRepeatTheValue() {
    String canary = "sk_live_canary4711";
    ApiClient.Response provider =
        refused(
            "POST",
            "/v1/secrets",
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\""
                + canary
                + "\",\"label\":\"p\",\"credential\":\"x\"}",
            "provider");
    assertThat(provider.body()).doesNotContain(canary);
    ApiClient.Response field =
        refused(
            "POST",
            "/v1/secrets",
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\"stripe\","
                + "\"label\":\"p\",\"credential\":\"x\",\""
                + canary
                + "\":\"v\"}",
            "known fields: ");
    assertThat(field.body()).doesNotContain(canary).contains("credential_parts");
    ApiClient.Response nested =
        refused(
            "POST",
            "/v1/grants",
            "{\"secret_id\":\""
                + secretId
                + "\",\"label\":\"n\","
                + "\"principal\":{\"type\":\"system\",\"label\":\"svc\",\""
                + canary
                + "\":1}}",
            "field 'principal'");
    assertThat(nested.body()).doesNotContain(canary);
    ApiClient.Response mapKey =
        refused(
            "POST",
            "/v1/secrets",
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\"stripe\","
                + "\"label\":\"p\",\"credential\":\"x\",\"credential_parts\":{\"Canary Key "
                + canary
                + "\":\"v\\u2028\"}}",
            "field 'credential_parts.{key}'");
    assertThat(mapKey.body()).doesNotContain(canary);
    ApiClient.Response query = service.api.get("/v1/audit?" + canary + "=1", service.adminKey);
    assertThat(query.status()).isEqualTo(400);
    assertThat(query.body()).doesNotContain(canary);
    for (String path :
        List.of("/v1/secrets/", "/v1/grants/", "/v1/apps/", "/v1/agents/", "/v1/idps/")) {
      ApiClient.Response garbage = service.api.get(path + canary, service.adminKey);
      assertThat(garbage.status()).isEqualTo(404);
      assertThat(garbage.body()).doesNotContain(canary);
      String wellFormed = path.substring(4, 7) + "_0123456789abcdef0123";
      assertThat(service.api.get(path + wellFormed, service.adminKey).body())
          .as("an issued id's form is named")
          .contains(wellFormed);
    }
    ApiClient.Response unknownPath = service.api.get("/v1/" + canary, service.adminKey);
    assertThat(unknownPath.status()).isEqualTo(404);
    assertThat(unknownPath.body()).doesNotContain(canary);
  }

  @Test
  void theAuditKeepsOnlyWellFormedGrantIds() {
    String publicKey =
        CredentialSealing.encodePublicKey(
            X25519Keys.rawPublicKey(X25519Keys.generate().getPublic()));
    String garbage = "grt_" + "sk_live_canary".repeat(5) + "x".repeat(6);
    assertThat(garbage).hasSize(80);
    for (String grant :
        List.of(
            garbage,
            "grt_0123456789abcdef012",
            "grt_0123456789ABCDEF0123",
            "@" + "q".repeat(79),
            "grt_" + "\uff10".repeat(20))) {
      ApiClient.Response r =
          service.api.post(
              "/v1/resolve",
              appKey,
              "{\"grant\":\""
                  + grant
                  + "\",\"destination\":"
                  + "{\"method\":\"GET\",\"url\":\"https://api.stripe.com/v1/charges\"},\"public_key\":\""
                  + publicKey
                  + "\"}");
      assertThat(r.status()).as(r.body()).isEqualTo(404);
      assertThat(r.code()).isEqualTo("grant_not_found");
      assertThat(r.body()).doesNotContain(grant.substring(1));
    }
    String wellFormedUnknown = "grt_0123456789abcdef0123";
    service.api.post(
        "/v1/resolve",
        appKey,
        "{\"grant\":\""
            + wellFormedUnknown
            + "\",\"destination\":"
            + "{\"method\":\"GET\",\"url\":\"https://api.stripe.com/v1/charges\"},\"public_key\":\""
            + publicKey
            + "\"}");
    JsonNode events =
        service
            .api
            .get("/v1/audit?action=resolve&outcome=denied", service.adminKey)
            .json()
            .path("events");
    // identical denials (the same reason) are one row with a count
    int denials = 0;
    for (JsonNode event : events) {
      denials += event.path("count").asInt();
    }
    assertThat(denials).as(events.toString()).isEqualTo(6);
    for (JsonNode event : events) {
      String stored = event.path("grant_id").asText(null);
      // a grant id the service could have issued, or nothing
      assertThat(stored == null || stored.equals(wellFormedUnknown)).as(event.toString()).isTrue();
      assertThat(event.toString()).doesNotContain("canary");
    }
    assertThat(events.get(0).path("grant_id").asText()).isEqualTo(wellFormedUnknown);
  }

  @Test
  void auditFiltersNamingNothingAreNotFound() {
    for (String filter :
        List.of(
            "app_id=app_0123456789abcdef0123",
            "secret_id=sec_0123456789abcdef0123",
            "grant_id=grt_0123456789abcdef0123",
            "app_id=" + secretId,
            "grant_id=" + appId)) {
      ApiClient.Response r = service.api.get("/v1/audit?" + filter, service.adminKey);
      assertThat(r.status()).as(filter + " → " + r.body()).isEqualTo(404);
      assertThat(r.code()).isEqualTo("not_found");
      assertThat(r.json().path("detail").asText())
          .contains(filter.substring(0, filter.indexOf('=')));
    }
    for (String filter :
        List.of(
            "app_id=" + appId,
            "secret_id=" + secretId,
            "grant_id=" + grantId,
            "action=agent.create",
            "action=idp.create")) {
      ApiClient.Response r = service.api.get("/v1/audit?" + filter, service.adminKey);
      assertThat(r.status()).as(filter + " → " + r.body()).isEqualTo(200);
    }
    JsonNode deleted = service.createSecret(appId, "stripe", "sk-deleted", null);
    String deletedId = deleted.path("secret_id").asText();
    assertThat(service.api.delete("/v1/secrets/" + deletedId, service.adminKey).status())
        .isEqualTo(204);
    ApiClient.Response history =
        service.api.get("/v1/audit?secret_id=" + deletedId, service.adminKey);
    assertThat(history.status()).isEqualTo(200);
    assertThat(history.json().path("events")).hasSize(2);
  }
}
