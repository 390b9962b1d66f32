package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.service.crypto.MasterKey;
import dev.alter.service.crypto.MasterKeyMissingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Which master key a store needs, checked at start and by {@code /readyz}: a development key only
 * for a store without credentials, no start under a key that cannot open what is stored, and not
 * ready once another process writes under a key this one lacks.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class MasterKeyStartupTest {
  private static final String DESTINATION = "https://api.stripe.com/v1/charges";

  @Parameter Backend backend;
  private TestStore store;

  @BeforeEach
  void createStore() {
    store = TestStore.create(backend, MasterKeyStartupTest.class);
  }

  @AfterEach
  void dropStore() {
    store.close();
  }

  private static String newKey() {
    byte[] material = new byte[MasterKey.LENGTH];
    new SecureRandom().nextBytes(material);
    return Base64.getEncoder().encodeToString(material);
  }

  private static String idOf(String key) {
    return MasterKey.fromBase64(key).id();
  }

  /**
   * Starts on {@code key}, stores a secret with a system grant; returns the grant id and app key.
   */
  private String[] storeACredentialUnder(String key) {
    try (TestService s = TestService.start(store, store.config().masterKey(key).build())) {
      JsonNode app = s.createApp("keys");
      String secretId =
          s.createSecret(app.path("app_id").asText(), "stripe", "sk_under_" + idOf(key), null)
              .path("secret_id")
              .asText();
      return new String[] {
        s.createSystemGrant(secretId, "keys").path("grant_id").asText(),
        app.path("api_key").path("key").asText()
      };
    }
  }

  @Test
  void aStoreWithoutCredentialsGetsADevelopmentKey() {
    try (TestService s = TestService.start(store, store.config().build())) {
      assertThat(s.api.get("/readyz", null).status()).isEqualTo(200);
    }
    assertThat(store.dataDir.resolve("master.key")).isRegularFile();
  }

  @Test
  void aStoreWithCredentialsAndNoKeyConfiguredDoesNotStart() {
    String key = newKey();
    storeACredentialUnder(key);

    assertThatThrownBy(() -> ResolverService.start(store.config().build()))
        .isInstanceOf(MasterKeyMissingException.class)
        .hasMessageContaining("no master key is configured")
        .hasMessageContaining(idOf(key))
        .hasMessageContaining("ALTER_MASTER_KEY_FILE")
        .hasMessageNotContaining(key);
    assertThat(store.dataDir.resolve("master.key"))
        .as("no development key for a store with credentials")
        .doesNotExist();
  }

  @Test
  void aWrongKeyDoesNotStartAndNamesTheKeyIds() {
    String stored = newKey();
    String wrong = newKey();
    storeACredentialUnder(stored);

    assertThatThrownBy(() -> ResolverService.start(store.config().masterKey(wrong).build()))
        .isInstanceOf(MasterKeyMissingException.class)
        .hasMessageContaining("wrapped by master key " + idOf(stored))
        .hasMessageContaining(
            "neither the active key (" + idOf(wrong) + ") nor in the keyring (empty)")
        .hasMessageNotContaining(stored)
        .hasMessageNotContaining(wrong);
  }

  @Test
  void theOldKeyInTheKeyringLetsANewActiveKeyStart() throws Exception {
    String old = newKey();
    String active = newKey();
    String[] grantAndAppKey = storeACredentialUnder(old);
    Path keyring = Files.createDirectories(store.dataDir.resolve("retired"));
    Files.writeString(keyring.resolve("old.key"), old);

    try (TestService s =
        TestService.start(
            store, store.config().masterKey(active).masterKeyringDir(keyring).build())) {
      assertThat(s.api.get("/readyz", null).status()).isEqualTo(200);
      ApiClient.Response r =
          ResolveRequests.resolve(s.api, grantAndAppKey[1], grantAndAppKey[0], DESTINATION);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
  }

  @Test
  void readyzReportsAKeyThatAnotherProcessWroteUnder() throws Exception {
    String mine = newKey();
    String theirs = newKey();
    storeACredentialUnder(mine);
    Path theirKeyring = Files.createDirectories(store.dataDir.resolve("their-keyring"));
    Files.writeString(theirKeyring.resolve("mine.key"), mine);

    try (TestService me = TestService.start(store, store.config().masterKey(mine).build());
        TestService other =
            TestService.start(
                store, store.config().masterKey(theirs).masterKeyringDir(theirKeyring).build())) {
      assertThat(me.api.get("/readyz", null).status()).isEqualTo(200);
      JsonNode app = other.createApp("theirs");
      String appKey = app.path("api_key").path("key").asText();
      String secretId =
          other
              .createSecret(app.path("app_id").asText(), "stripe", "sk_theirs", null)
              .path("secret_id")
              .asText();
      String grantId = other.createSystemGrant(secretId, "theirs").path("grant_id").asText();

      ApiClient.Response ready = me.api.get("/readyz", null);
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.code()).isEqualTo("master_key_missing");
      assertThat(ready.json().path("detail").asText())
          .contains(idOf(theirs))
          .contains("active key (" + idOf(mine) + ")")
          .doesNotContain(theirs)
          .doesNotContain(mine);
      ApiClient.Response resolve = ResolveRequests.resolve(me.api, appKey, grantId, DESTINATION);
      assertThat(resolve.status()).as(resolve.body()).isEqualTo(503);
      assertThat(resolve.code()).isEqualTo("master_key_missing");
      assertThat(other.api.get("/readyz", null).status())
          .as("the process that has both keys")
          .isEqualTo(200);
    }
  }
}
