package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.contract.CredentialSealing;
import dev.alter.contract.X25519Keys;
import dev.alter.contract.proof.ProofKey;
import dev.alter.contract.proof.RequestSigning;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Migration V3 on a store written before it: keys and agent tokens stored as SHA-256 keep working
 * (bearer and signed), the hashes are gone afterwards, and a migration interrupted half-way (H2
 * commits each DDL statement) completes on the next start.
 */
class ProofKeyMigrationTest {
  private static final String APP_KEY = "alter_key_app_" + "P".repeat(43);
  private static final String ADMIN_KEY = "alter_key_admin_" + "Q".repeat(43);
  private static final String AGENT_TOKEN = "alter_key_agent_" + "R".repeat(43);
  private static final String OTHER_APP_KEY = "alter_key_app_" + "S".repeat(43);

  @ParameterizedTest
  @EnumSource(Backend.class)
  void keysStoredAsHashesKeepWorkingAndTheHashesAreGone(Backend backend) throws Exception {
    run(backend, false);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aMigrationInterruptedHalfWayCompletesOnTheNextStart(Backend backend) throws Exception {
    run(backend, true);
  }

  private void run(Backend backend, boolean interrupted) throws Exception {
    try (TestStore store = TestStore.create(backend, ProofKeyMigrationTest.class)) {
      String url =
          store.jdbcUrl != null
              ? store.jdbcUrl
              : "jdbc:h2:file:" + store.dataDir.resolve("alter").toAbsolutePath();
      String user = store.jdbcUrl != null ? TestStore.PG_USER : null;
      Flyway.configure()
          .dataSource(url, user, store.jdbcUrl != null ? TestStore.PG_PASSWORD : null)
          .locations("classpath:db/migration")
          .target("2")
          .load()
          .migrate();
      try (Connection c =
              DriverManager.getConnection(
                  url, user, store.jdbcUrl != null ? TestStore.PG_PASSWORD : null);
          Statement st = c.createStatement()) {
        st.execute(
            "INSERT INTO apps (app_id, name, created_at) VALUES ('app_00000000000000000001', 'legacy', 1)");
        st.execute(
            "INSERT INTO api_keys (key_id, kind, app_id, key_hash, created_at) VALUES "
                + "('key_00000000000000000001', 'app', 'app_00000000000000000001', '"
                + sha256(APP_KEY)
                + "', 1), "
                + "('key_00000000000000000002', 'admin', NULL, '"
                + sha256(ADMIN_KEY)
                + "', 1), "
                + "('key_00000000000000000003', 'app', 'app_00000000000000000001', '"
                + sha256(OTHER_APP_KEY)
                + "', 1)");
        st.execute(
            "INSERT INTO agents (agent_id, label, created_at) VALUES ('agt_00000000000000000001', 'legacy', 1)");
        st.execute(
            "INSERT INTO agent_tokens (token_hash, agent_id, created_at) VALUES ('"
                + sha256(AGENT_TOKEN)
                + "', 'agt_00000000000000000001', 1)");
        if (interrupted) {
          // as a crash during V3 on H2 leaves it: the columns added, one row converted, the hash
          // still there
          st.execute("ALTER TABLE api_keys ADD COLUMN proof_key_id VARCHAR(32)");
          st.execute(
              "UPDATE api_keys SET proof_key_id = '"
                  + ProofKey.keyIdOf(OTHER_APP_KEY)
                  + "' WHERE key_id = 'key_00000000000000000003'");
          st.execute("ALTER TABLE api_keys ADD COLUMN public_key VARCHAR(130)");
        }
        if (!c.getAutoCommit()) {
          c.commit();
        }
      }

      try (TestService service =
          TestService.start(store, store.config().adminKeyFile(null).build())) {
        assertThat(service.adminKey).as("no new admin key: the migrated one is live").isNull();
        ApiClient api = service.api;
        ApiClient.Response secret =
            api.post(
                "/v1/secrets",
                ADMIN_KEY,
                "{\"app_id\":\"app_00000000000000000001\","
                    + "\"provider\":\"datadog\",\"label\":\"legacy\",\"credential\":\"legacy-dd-key\"}");
        assertThat(secret.status()).as(secret.body()).isEqualTo(201);
        String secretId = secret.text("secret_id");
        String systemGrant = grant(api, secretId, "{\"type\":\"system\",\"label\":\"svc\"}");
        String agentGrant =
            grant(api, secretId, "{\"type\":\"agent\",\"agent_id\":\"agt_00000000000000000001\"}");

        String body = body(systemGrant);
        assertThat(api.post("/v1/resolve", APP_KEY, body).status()).as("bearer").isEqualTo(200);
        assertThat(
                api.postSigned(
                        "/v1/resolve",
                        APP_KEY,
                        null,
                        body,
                        System.currentTimeMillis() / 1000,
                        RequestSigning.newNonce())
                    .status())
            .as("signed")
            .isEqualTo(200);
        assertThat(
                api.postSigned(
                        "/v1/resolve",
                        OTHER_APP_KEY,
                        null,
                        body,
                        System.currentTimeMillis() / 1000,
                        RequestSigning.newNonce())
                    .status())
            .as("the row converted before the interruption")
            .isEqualTo(200);
        ApiClient.Response agent =
            api.postSigned(
                "/v1/resolve",
                APP_KEY,
                AGENT_TOKEN,
                body(agentGrant),
                System.currentTimeMillis() / 1000,
                RequestSigning.newNonce());
        assertThat(agent.status()).as(agent.body()).isEqualTo(200);

        String dump =
            String.join("\n", service.rows("api_keys"))
                + String.join("\n", service.rows("agent_tokens"));
        for (String key : new String[] {APP_KEY, ADMIN_KEY, AGENT_TOKEN, OTHER_APP_KEY}) {
          assertThat(dump).doesNotContainIgnoringCase(sha256(key)).contains(ProofKey.keyIdOf(key));
        }
        assertThat(dump.toLowerCase(java.util.Locale.ROOT))
            .doesNotContain("key_hash=")
            .doesNotContain("token_hash=");
        assertThat(
                service.count(
                    "SELECT COUNT(*) FROM api_keys WHERE proof_key_id IS NULL OR public_key IS NULL"))
            .isZero();
        // the unique index on the proof key id holds
        assertThat(duplicateRefused(service)).isTrue();
      }
    }
  }

  private static String grant(ApiClient api, String secretId, String principal) {
    ApiClient.Response r =
        api.post(
            "/v1/grants",
            ADMIN_KEY,
            "{\"secret_id\":\"" + secretId + "\",\"principal\":" + principal + "}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.text("grant_id");
  }

  private static boolean duplicateRefused(TestService service) {
    try {
      service.execute(
          "INSERT INTO api_keys (key_id, kind, app_id, proof_key_id, public_key, created_at) VALUES "
              + "('key_00000000000000000009', 'app', 'app_00000000000000000001', '"
              + ProofKey.keyIdOf(APP_KEY)
              + "', 'x', 1)");
      return false;
    } catch (IllegalStateException e) {
      return e.getCause() instanceof SQLException;
    }
  }

  private static String body(String grant) {
    return "{\"grant\":\""
        + grant
        + "\",\"destination\":{\"method\":\"GET\",\"url\":\"https://api.datadoghq.com/api/v1/validate\"},"
        + "\"public_key\":\""
        + CredentialSealing.encodePublicKey(
            X25519Keys.rawPublicKey(X25519Keys.generate().getPublic()))
        + "\"}";
  }

  private static String sha256(String key) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
  }
}
