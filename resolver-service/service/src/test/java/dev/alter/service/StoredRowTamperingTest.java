package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.X25519Keys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Someone with write access to the database swaps two secrets' ciphertext rows: both fail closed.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class StoredRowTamperingTest {
  @Parameter Backend backend;

  @Test
  void swappedCredentialRowsFailToDecryptAndLeakNothing() throws Exception {
    try (TestService s = TestService.start(backend, StoredRowTamperingTest.class)) {
      JsonNode app = s.createApp("tamper");
      String appId = app.path("app_id").asText();
      String appKey = app.path("api_key").path("key").asText();
      String secretA =
          s.createSecret(appId, "stripe", "sk-value-of-a", null).path("secret_id").asText();
      String secretB =
          s.createSecret(appId, "stripe", "sk-value-of-b", null).path("secret_id").asText();
      String grantA = s.createSystemGrant(secretA, "a").path("grant_id").asText();
      String grantB = s.createSystemGrant(secretB, "b").path("grant_id").asText();

      try (Connection c = s.running.database().dataSource().getConnection()) {
        byte[][] a = read(c, secretA);
        byte[][] b = read(c, secretB);
        write(c, secretA, b);
        write(c, secretB, a);
        c.commit();
      }

      for (String grant : new String[] {grantA, grantB}) {
        String pk =
            CredentialSealing.encodePublicKey(
                X25519Keys.rawPublicKey(X25519Keys.generate().getPublic()));
        ApiClient.Response r =
            s.api.post(
                "/v1/resolve",
                appKey,
                "{\"grant\":\""
                    + grant
                    + "\",\"destination\":"
                    + "{\"method\":\"GET\",\"url\":\"https://api.stripe.com/v1/balance\"},\"public_key\":\""
                    + pk
                    + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(500);
        assertThat(r.code()).isEqualTo("internal_error");
        assertThat(r.body()).doesNotContain("sk-value-of");
      }
    }
  }

  private static byte[][] read(Connection c, String secretId) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT wrapped_key, nonce, ciphertext FROM credential_versions WHERE secret_id = ?")) {
      ps.setString(1, secretId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new byte[][] {rs.getBytes(1), rs.getBytes(2), rs.getBytes(3)};
      }
    }
  }

  private static void write(Connection c, String secretId, byte[][] row) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE credential_versions SET wrapped_key = ?, nonce = ?, ciphertext = ? WHERE secret_id = ?")) {
      ps.setBytes(1, row[0]);
      ps.setBytes(2, row[1]);
      ps.setBytes(3, row[2]);
      ps.setString(4, secretId);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }
}
