package dev.alter.service.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import dev.alter.contract.InjectionSpec;
import dev.alter.service.JsonCodec;
import dev.alter.service.crypto.EncryptedCredential;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Managed secrets and their encrypted credential versions. */
public final class SecretRepository {
  private static final String NAMES =
      "secret_id, app_id, provider, label, injection, destinations, "
          + "allow_plain_http, ttl_seconds, current_version, fingerprint, created_at, updated_at, deleted_at";

  /** What {@link #map} reads, in its order, from table alias {@code s}. */
  static final String COLUMNS = Rows.qualified("s", NAMES);

  static final int COLUMN_COUNT = 13;
  private static final JavaType INJECTION = JsonCodec.mapper().constructType(InjectionSpec.class);
  private static final JavaType DESTINATIONS =
      JsonCodec.mapper().getTypeFactory().constructCollectionType(List.class, String.class);

  public void insert(Connection c, SecretRecord s) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO secrets (" + NAMES + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, s.secretId());
      ps.setString(2, s.appId());
      ps.setString(3, s.provider());
      ps.setString(4, s.label());
      ps.setString(5, json(s.injection()));
      ps.setString(6, json(s.destinations()));
      ps.setBoolean(7, s.allowPlainHttp());
      ps.setInt(8, s.ttlSeconds());
      ps.setLong(9, s.currentVersion());
      ps.setString(10, s.fingerprint());
      ps.setLong(11, s.createdAt());
      ps.setLong(12, s.updatedAt());
      Rows.setNullableLong(ps, 13, s.deletedAt());
      ps.executeUpdate();
    }
  }

  /** Finds a secret, deleted or not. */
  public Optional<SecretRecord> find(Connection c, String secretId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM secrets s WHERE s.secret_id = ?")) {
      ps.setString(1, secretId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs, 1)) : Optional.empty();
      }
    }
  }

  /** Finds a live secret and locks its row until the transaction ends. */
  public Optional<SecretRecord> findLiveForUpdate(Connection c, String secretId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM secrets s WHERE s.secret_id = ? AND s.deleted_at IS NULL FOR UPDATE")) {
      ps.setString(1, secretId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs, 1)) : Optional.empty();
      }
    }
  }

  /** Live (not deleted) secrets, optionally of one app. */
  public List<SecretRecord> listLive(Connection c, String appIdOrNull) throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM secrets s WHERE s.deleted_at IS NULL"
            + (appIdOrNull == null ? "" : " AND s.app_id = ?")
            + " ORDER BY s.created_at, s.secret_id";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (appIdOrNull != null) {
        ps.setString(1, appIdOrNull);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<SecretRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(map(rs, 1));
        }
        return out;
      }
    }
  }

  /**
   * Increments the version of a live secret under its row lock and returns the new version, or
   * empty when the secret does not exist or is deleted. Concurrent callers serialise on the lock,
   * so versions are consecutive and no rotation is lost.
   */
  public Optional<Long> claimNextVersion(Connection c, String secretId, long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE secrets SET current_version = current_version + 1, "
                + "updated_at = ? WHERE secret_id = ? AND deleted_at IS NULL")) {
      ps.setLong(1, now);
      ps.setString(2, secretId);
      if (ps.executeUpdate() != 1) {
        return Optional.empty();
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT current_version FROM secrets WHERE secret_id = ?")) {
      ps.setString(1, secretId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return Optional.of(rs.getLong(1));
      }
    }
  }

  public void setFingerprint(Connection c, String secretId, String fingerprint)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE secrets SET fingerprint = ? WHERE secret_id = ?")) {
      ps.setString(1, fingerprint);
      ps.setString(2, secretId);
      ps.executeUpdate();
    }
  }

  public void updateSettings(
      Connection c,
      String secretId,
      String label,
      List<String> destinations,
      boolean allowPlainHttp,
      int ttlSeconds,
      InjectionSpec injection,
      long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE secrets SET label = ?, destinations = ?, "
                + "allow_plain_http = ?, ttl_seconds = ?, injection = ?, updated_at = ? WHERE secret_id = ? AND deleted_at IS NULL")) {
      ps.setString(1, label);
      ps.setString(2, json(destinations));
      ps.setBoolean(3, allowPlainHttp);
      ps.setInt(4, ttlSeconds);
      ps.setString(5, json(injection));
      ps.setLong(6, now);
      ps.setString(7, secretId);
      ps.executeUpdate();
    }
  }

  /** Marks the secret deleted and destroys every stored credential version. */
  public boolean markDeleted(Connection c, String secretId, long now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE secrets SET deleted_at = ?, updated_at = ? WHERE secret_id = ? AND deleted_at IS NULL")) {
      ps.setLong(1, now);
      ps.setLong(2, now);
      ps.setString(3, secretId);
      if (ps.executeUpdate() != 1) {
        return false;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM credential_versions WHERE secret_id = ?")) {
      ps.setString(1, secretId);
      ps.executeUpdate();
    }
    return true;
  }

  public void insertVersion(Connection c, CredentialVersionRecord v) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO credential_versions (secret_id, "
                + "credential_version, master_key_id, wrapped_key, nonce, ciphertext, fingerprint, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, v.secretId());
      ps.setLong(2, v.version());
      ps.setString(3, v.encrypted().masterKeyId());
      ps.setBytes(4, v.encrypted().wrappedKey());
      ps.setBytes(5, v.encrypted().nonce());
      ps.setBytes(6, v.encrypted().ciphertext());
      ps.setString(7, v.fingerprint());
      ps.setLong(8, v.createdAt());
      ps.executeUpdate();
    }
  }

  public Optional<CredentialVersionRecord> findVersion(Connection c, String secretId, long version)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            VERSION_SELECT + " WHERE v.secret_id = ? AND v.credential_version = ?")) {
      ps.setString(1, secretId);
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(mapVersion(rs, 1)) : Optional.empty();
      }
    }
  }

  /** Up to {@code limit} versions whose data key is wrapped by master key {@code keyId}. */
  public List<CredentialVersionRecord> versionsWrappedBy(Connection c, String keyId, int limit)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            VERSION_SELECT
                + " WHERE v.master_key_id = ? ORDER BY v.secret_id, v.credential_version")) {
      ps.setString(1, keyId);
      ps.setMaxRows(limit);
      try (ResultSet rs = ps.executeQuery()) {
        List<CredentialVersionRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapVersion(rs, 1));
        }
        return out;
      }
    }
  }

  /** Replaces the wrapped data key if it is still wrapped by {@code expectedKeyId}. */
  public boolean replaceWrappedKey(
      Connection c,
      String secretId,
      long version,
      String expectedKeyId,
      String newKeyId,
      byte[] wrappedKey)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE credential_versions SET master_key_id = ?, "
                + "wrapped_key = ? WHERE secret_id = ? AND credential_version = ? AND master_key_id = ?")) {
      ps.setString(1, newKeyId);
      ps.setBytes(2, wrappedKey);
      ps.setString(3, secretId);
      ps.setLong(4, version);
      ps.setString(5, expectedKeyId);
      return ps.executeUpdate() == 1;
    }
  }

  /** Number of credential versions per master key id. */
  public java.util.Map<String, Long> versionsPerMasterKey(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                // webhook signing secrets are envelope-encrypted too: a key wrapping one is in use
                "SELECT master_key_id, COUNT(*) FROM (SELECT master_key_id FROM credential_versions"
                    + " UNION ALL SELECT master_key_id FROM webhook_receivers) w"
                    + " GROUP BY master_key_id ORDER BY master_key_id");
        ResultSet rs = ps.executeQuery()) {
      java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
      return out;
    }
  }

  /** What {@link #mapVersion} reads, in its order, from table alias {@code v}. */
  static final String VERSION_COLUMNS =
      "v.secret_id, v.credential_version, v.master_key_id, "
          + "v.wrapped_key, v.nonce, v.ciphertext, v.fingerprint, v.created_at";

  private static final String VERSION_SELECT =
      "SELECT " + VERSION_COLUMNS + " FROM credential_versions v";

  /** The version in the {@link #VERSION_COLUMNS} that start at column {@code first}. */
  static CredentialVersionRecord mapVersion(ResultSet rs, int first) throws SQLException {
    return new CredentialVersionRecord(
        rs.getString(first),
        rs.getLong(first + 1),
        new EncryptedCredential(
            rs.getString(first + 2),
            rs.getBytes(first + 3),
            rs.getBytes(first + 4),
            rs.getBytes(first + 5)),
        rs.getString(first + 6),
        rs.getLong(first + 7));
  }

  /** The secret in the {@link #COLUMNS} that start at column {@code first}. */
  static SecretRecord map(ResultSet rs, int first) throws SQLException {
    String secretId = rs.getString(first);
    return new SecretRecord(
        secretId,
        rs.getString(first + 1),
        rs.getString(first + 2),
        rs.getString(first + 3),
        read(rs.getString(first + 4), INJECTION, "injection", secretId),
        read(rs.getString(first + 5), DESTINATIONS, "destinations", secretId),
        rs.getBoolean(first + 6),
        rs.getInt(first + 7),
        rs.getLong(first + 8),
        rs.getString(first + 9),
        rs.getLong(first + 10),
        rs.getLong(first + 11),
        Rows.nullableLong(rs, first + 12));
  }

  private static <T> T read(String json, JavaType type, String column, String secretId) {
    try {
      return JsonCodec.mapper().readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "the stored " + column + " of secret " + secretId + " cannot be read", e);
    }
  }

  private static String json(Object value) {
    try {
      return JsonCodec.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }
}
