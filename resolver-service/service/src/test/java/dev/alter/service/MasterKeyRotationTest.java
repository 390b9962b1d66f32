package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.ResolveResponse;
import dev.alter.contract.X25519Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Master key rotation end to end: secrets written under key A stay resolvable after B becomes
 * active (A kept in the keyring), rewrap moves every data key to B, and A can then be removed.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class MasterKeyRotationTest {
  @Parameter Backend backend;

  private static String newKeyFile(Path file) throws Exception {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    String b64 = Base64.getEncoder().encodeToString(k);
    Files.writeString(file, b64 + "\n");
    return b64;
  }

  @Test
  void rewrapKeepsEverySecretResolvableAndRetiresTheOldKey() throws Exception {
    try (TestStore store = TestStore.create(backend, MasterKeyRotationTest.class)) {
      Path keyA = store.dataDir.resolve("a.key");
      Path keyB = store.dataDir.resolve("b.key");
      Path keyring = store.dataDir.resolve("retired");
      newKeyFile(keyA);
      newKeyFile(keyB);
      Map<String, String> grantsToValues = new LinkedHashMap<>();
      String appKey;
      String idA;

      try (TestService s =
          TestService.start(
              store, store.config().masterKeyFile(keyA).masterKeyringDir(keyring).build())) {
        JsonNode app = s.createApp("rotating");
        appKey = app.path("api_key").path("key").asText();
        for (int i = 0; i < 3; i++) {
          String secretId =
              s.createSecret(app.path("app_id").asText(), "stripe", "sk-" + i, null)
                  .path("secret_id")
                  .asText();
          s.api.put(
              "/v1/secrets/" + secretId + "/credential",
              s.adminKey,
              "{\"credential\":\"sk-" + i + "-v2\"}");
          grantsToValues.put(
              s.createSystemGrant(secretId, "g" + i).path("grant_id").asText(), "sk-" + i + "-v2");
        }
        // a webhook signing secret is wrapped by the master key too
        assertThat(
                s.api
                    .post(
                        "/v1/webhooks", s.adminKey, "{\"url\":\"https://siem.example.com/alter\"}")
                    .status())
            .isEqualTo(201);
        JsonNode status = s.api.get("/v1/master-keys", s.adminKey).json();
        idA = status.path("active_key_id").asText();
        assertThat(status.path("keys").get(0).path("versions_wrapped").asLong()).isEqualTo(7);
      }

      // B becomes active; A moves to the keyring directory
      Files.createDirectories(keyring);
      Files.move(keyA, keyring.resolve("a.key"));
      try (TestService s =
          TestService.start(
              store, store.config().masterKeyFile(keyB).masterKeyringDir(keyring).build())) {
        assertResolvable(s, appKey, grantsToValues);
        JsonNode rewrap = s.api.post("/v1/master-keys/rewrap", s.adminKey, "{}").json();
        assertThat(rewrap.path("rewrapped").asLong()).isEqualTo(7);
        assertThat(rewrap.path("active_key_id").asText()).isNotEqualTo(idA);
        JsonNode keys = s.api.get("/v1/master-keys", s.adminKey).json().path("keys");
        for (JsonNode k : keys) {
          long expected = k.path("key_id").asText().equals(idA) ? 0 : 7;
          assertThat(k.path("versions_wrapped").asLong()).as(k.toString()).isEqualTo(expected);
        }
        assertResolvable(s, appKey, grantsToValues);
        assertThat(
                s.api.get("/v1/audit?action=master_key.rewrap", s.adminKey).json().path("events"))
            .hasSize(1);
      }

      // A retired: everything still resolves with B alone
      Files.delete(keyring.resolve("a.key"));
      try (TestService s =
          TestService.start(
              store, store.config().masterKeyFile(keyB).masterKeyringDir(keyring).build())) {
        assertResolvable(s, appKey, grantsToValues);
        assertThat(s.api.get("/v1/master-keys", s.adminKey).json().path("keys")).hasSize(1);
      }
    }
  }

  private static String resolveBody(String grantId, KeyPair keys) {
    return "{\"grant\":\""
        + grantId
        + "\",\"destination\":{\"method\":\"POST\",\"url\":\"https://api.stripe.com/v1/charges\"},"
        + "\"public_key\":\""
        + CredentialSealing.encodePublicKey(X25519Keys.rawPublicKey(keys.getPublic()))
        + "\"}";
  }

  private static void assertResolvable(
      TestService s, String appKey, Map<String, String> grantsToValues) throws Exception {
    ObjectMapper snake =
        new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    for (Map.Entry<String, String> e : grantsToValues.entrySet()) {
      KeyPair keys = X25519Keys.generate();
      ApiClient.Response r = s.api.post("/v1/resolve", appKey, resolveBody(e.getKey(), keys));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      ResolveResponse answer = snake.readValue(r.body(), ResolveResponse.class);
      assertThat(
              CredentialSealing.open(
                      keys.getPrivate(),
                      X25519Keys.rawPublicKey(keys.getPublic()),
                      e.getKey(),
                      answer.getCredentialVersion(),
                      answer.getSealed())
                  .primary())
          .isEqualTo(e.getValue());
    }
  }
}
