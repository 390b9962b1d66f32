package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.service.crypto.MasterKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exit status and message an operator sees when the service jar refuses its master key
 * settings: 2 for an empty setting or key file, 3 when the store needs a key that is not there.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class MasterKeyStartupIT {
  @Parameter Backend backend;
  private TestStore store;
  private Path work;

  @BeforeEach
  void createStore() {
    store = TestStore.create(backend, MasterKeyStartupIT.class);
    work = store.dataDir.resolve("process");
  }

  @AfterEach
  void dropStore() {
    store.close();
  }

  private Map<String, String> env(Map<String, String> extra) {
    Map<String, String> env = ServiceProcess.storeEnvironment(store);
    env.putAll(extra);
    return env;
  }

  private static String newKey() {
    byte[] material = new byte[MasterKey.LENGTH];
    new SecureRandom().nextBytes(material);
    return Base64.getEncoder().encodeToString(material);
  }

  @Test
  void anEmptySettingOrKeyFileExitsWithStatus2() throws Exception {
    try (ServiceProcess service =
        ServiceProcess.launch(work, env(Map.of("ALTER_MASTER_KEY", "")))) {
      assertThat(service.awaitExit()).as(service.output()).isEqualTo(Main.EXIT_CONFIGURATION);
      assertThat(service.output()).contains("ALTER_MASTER_KEY is set but empty");
    }
    Path empty = Files.writeString(work.resolve("empty.key"), "");
    try (ServiceProcess service =
        ServiceProcess.launch(work, env(Map.of("ALTER_MASTER_KEY_FILE", empty.toString())))) {
      assertThat(service.awaitExit()).as(service.output()).isEqualTo(Main.EXIT_CONFIGURATION);
      assertThat(service.output()).contains("master key file " + empty + " is empty");
    }
    assertThat(store.dataDir.resolve("master.key")).as("no development key instead").doesNotExist();
  }

  @Test
  void aKeyFileThatCannotBeReadExitsWithStatus2NamingIt() throws Exception {
    Path missing = work.resolve("missing.key");
    try (ServiceProcess service =
        ServiceProcess.launch(work, env(Map.of("ALTER_MASTER_KEY_FILE", missing.toString())))) {
      assertThat(service.awaitExit()).as(service.output()).isEqualTo(Main.EXIT_CONFIGURATION);
      assertThat(service.output()).contains("master key file " + missing + " does not exist");
    }
    Path keyring = Files.createDirectories(work.resolve("unreadable-keyring"));
    Files.createDirectories(keyring.resolve("directory.key"));
    try (ServiceProcess service =
        ServiceProcess.launch(
            work,
            env(
                Map.of(
                    "ALTER_MASTER_KEY",
                    newKey(),
                    "ALTER_MASTER_KEYRING_DIR",
                    keyring.toString())))) {
      assertThat(service.awaitExit()).as(service.output()).isEqualTo(Main.EXIT_CONFIGURATION);
      assertThat(service.output())
          .contains("master key file " + keyring.resolve("directory.key") + " cannot be read");
    }
    assertThat(store.dataDir.resolve("master.key")).as("no development key instead").doesNotExist();
  }

  @Test
  void aStoreWithCredentialsRefusesAMissingOrWrongKeyWithStatus3() throws Exception {
    String stored = newKey();
    String storedId = MasterKey.fromBase64(stored).id();
    try (ServiceProcess service =
        ServiceProcess.launch(work, env(Map.of("ALTER_MASTER_KEY", stored)))) {
      ApiClient api = new ApiClient(service.awaitReady());
      String adminKey = Files.readString(store.dataDir.resolve("admin.key")).trim();
      JsonNode app = api.post("/v1/apps", adminKey, "{\"name\":\"keys\"}").json();
      ApiClient.Response secret =
          api.post(
              "/v1/secrets",
              adminKey,
              "{\"app_id\":"
                  + ApiClient.quote(app.path("app_id").asText())
                  + ",\"provider\":\"stripe\",\"label\":\"keys\",\"credential\":\"sk_keys\"}");
      assertThat(secret.status()).as(secret.body()).isEqualTo(201);
    }

    try (ServiceProcess service = ServiceProcess.launch(work, env(Map.of()))) {
      assertThat(service.awaitExit()).as(service.output()).isEqualTo(Main.EXIT_MASTER_KEY_MISSING);
      assertThat(service.output())
          .contains("cannot start: no master key is configured")
          .contains(storedId)
          .doesNotContain(stored);
    }
    String wrong = newKey();
    try (ServiceProcess service =
        ServiceProcess.launch(work, env(Map.of("ALTER_MASTER_KEY", wrong)))) {
      assertThat(service.awaitExit()).as(service.output()).isEqualTo(Main.EXIT_MASTER_KEY_MISSING);
      assertThat(service.output())
          .contains("wrapped by master key " + storedId)
          .contains(
              "neither the active key ("
                  + MasterKey.fromBase64(wrong).id()
                  + ") nor in the keyring (empty)")
          .doesNotContain(stored)
          .doesNotContain(wrong);
    }
    Path keyring = Files.createDirectories(work.resolve("keyring"));
    Files.writeString(keyring.resolve("retired.key"), stored);
    try (ServiceProcess service =
        ServiceProcess.launch(
            work,
            env(
                Map.of(
                    "ALTER_MASTER_KEY", wrong, "ALTER_MASTER_KEYRING_DIR", keyring.toString())))) {
      assertThat(service.awaitReady())
          .as("the stored key is in the keyring")
          .startsWith("http://127.0.0.1:");
    }
  }
}
