package dev.alter.service.store;

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
  private static final String COLUMNS = "secret_id, app_id, provider, label, injection, destinations, "
      + "allow_plain_http, ttl_seconds, current_version, fingerprint, created_at, updated_at, deleted_at";

  public void insert(Connection c, SecretRecord s) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO secrets (" + COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, s.secretId());
      ps.setString(2, s.appId());
      ps.setString(3, s.provider());
      ps.setString(4, s.label());
      ps.setString(5, s.injectionJson());
      ps.setString(6, s.destinationsJson());
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
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM secrets WHERE secret_id = ?")) {
      ps.setString(1, secretId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    }
  }

  /** Finds a live secret and locks its row until the transaction ends. */
  public Optional<SecretRecord> findLiveForUpdate(Connection c, String secretId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
        + " FROM secrets WHERE secret_id = ? AND deleted_at IS NULL FOR UPDATE")) {
      ps.setString(1, secretId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    }
  }

  /** Live (not deleted) secrets, optionally of one app. */
  public List<SecretRecord> listLive(Connection c, String appIdOrNull) throws SQLException {
    String sql = "SELECT " + COLUMNS + " FROM secrets WHERE deleted_at IS NULL"
        + (appIdOrNull == null ? "" : " AND app_id = ?") + " ORDER BY created_at, secret_id";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (appIdOrNull != null) {
        ps.setString(1, appIdOrNull);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<SecretRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(map(rs));
        }
        return out;
      }
    }
  }

  /**
   * Increments the version of a live secret under its row lock and returns the new version,
   * or empty when the secret does not exist or is deleted. Concurrent callers serialise on the
   * lock, so versions are consecutive and no rotation is lost.
   */
  public Optional<Long> claimNextVersion(Connection c, String secretId, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE secrets SET current_version = current_version + 1, "
        + "updated_at = ? WHERE secret_id = ? AND deleted_at IS NULL")) {
      ps.setLong(1, now);
      ps.setString(2, secretId);
      if (ps.executeUpdate() != 1) {
        return Optional.empty();
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT current_version FROM secrets WHERE secret_id = ?")) {
      ps.setString(1, secretId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return Optional.of(rs.getLong(1));
      }
    }
  }

  public void setFingerprint(Connection c, String secretId, String fingerprint) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE secrets SET fingerprint = ? WHERE secret_id = ?")) {
      ps.setString(1, fingerprint);
      ps.setString(2, secretId);
      ps.executeUpdate();
    }
  }

  public void updateSettings(Connection c, String secretId, String label, String destinationsJson,
      boolean allowPlainHttp, int ttlSeconds, String injectionJson, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE secrets SET label = ?, destinations = ?, "
        + "allow_plain_http = ?, ttl_seconds = ?, injection = ?, updated_at = ? WHERE secret_id = ? AND deleted_at IS NULL")) {
      ps.setString(1, label);
      ps.setString(2, destinationsJson);
      ps.setBoolean(3, allowPlainHttp);
      ps.setInt(4, ttlSeconds);
      ps.setString(5, injectionJson);
      ps.setLong(6, now);
      ps.setString(7, secretId);
      ps.executeUpdate();
    }
  }

  /** Marks the secret deleted and destroys every stored credential version. */
  public boolean markDeleted(Connection c, String secretId, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE secrets SET deleted_at = ?, updated_at = ? WHERE secret_id = ? AND deleted_at IS NULL")) {
      ps.setLong(1, now);
      ps.setLong(2, now);
      ps.setString(3, secretId);
      if (ps.executeUpdate() != 1) {
        return false;
      }
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM credential_versions WHERE secret_id = ?")) {
      ps.setString(1, secretId);
      ps.executeUpdate();
    }
    return true;
  }

  public void insertVersion(Connection c, CredentialVersionRecord v) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO credential_versions (secret_id, "
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

  public Optional<CredentialVersionRecord> findVersion(Connection c, String secretId, long version) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(VERSION_SELECT + " WHERE secret_id = ? AND credential_version = ?")) {
      ps.setString(1, secretId);
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(mapVersion(rs)) : Optional.empty();
      }
    }
  }

  /** Up to {@code limit} versions whose data key is wrapped by master key {@code keyId}. */
  public List<CredentialVersionRecord> versionsWrappedBy(Connection c, String keyId, int limit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(VERSION_SELECT
        + " WHERE master_key_id = ? ORDER BY secret_id, credential_version")) {
      ps.setString(1, keyId);
      ps.setMaxRows(limit);
      try (ResultSet rs = ps.executeQuery()) {
        List<CredentialVersionRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapVersion(rs));
        }
        return out;
      }
    }
  }

  /** Replaces the wrapped data key if it is still wrapped by {@code expectedKeyId}. */
  public boolean replaceWrappedKey(Connection c, String secretId, long version, String expectedKeyId,
      String newKeyId, byte[] wrappedKey) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE credential_versions SET master_key_id = ?, "
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
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT master_key_id, COUNT(*) FROM credential_versions GROUP BY master_key_id ORDER BY master_key_id");
        ResultSet rs = ps.executeQuery()) {
      java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
      return out;
    }
  }

  private static final String VERSION_SELECT = "SELECT secret_id, credential_version, master_key_id, "
      + "wrapped_key, nonce, ciphertext, fingerprint, created_at FROM credential_versions";

  private static CredentialVersionRecord mapVersion(ResultSet rs) throws SQLException {
    return new CredentialVersionRecord(rs.getString(1), rs.getLong(2),
        new EncryptedCredential(rs.getString(3), rs.getBytes(4), rs.getBytes(5), rs.getBytes(6)),
        rs.getString(7), rs.getLong(8));
  }

  private static SecretRecord map(ResultSet rs) throws SQLException {
    return new SecretRecord(rs.getString("secret_id"), rs.getString("app_id"), rs.getString("provider"),
        rs.getString("label"), rs.getString("injection"), rs.getString("destinations"),
        rs.getBoolean("allow_plain_http"), rs.getInt("ttl_seconds"), rs.getLong("current_version"),
        rs.getString("fingerprint"), rs.getLong("created_at"), rs.getLong("updated_at"),
        Rows.nullableLong(rs, "deleted_at"));
  }
}
