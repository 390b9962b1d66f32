package dev.alter.service.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class ApiKeyRepository {
  private static final String COLUMNS =
      "key_id, kind, app_id, proof_key_id, public_key, created_at, revoked_at, last_used_at";

  public void insert(Connection c, ApiKeyRecord key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO api_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, key.keyId());
      ps.setString(2, key.kind());
      ps.setString(3, key.appId());
      ps.setString(4, key.proofKeyId());
      ps.setString(5, key.publicKey());
      ps.setLong(6, key.createdAt());
      Rows.setNullableLong(ps, 7, key.revokedAt());
      Rows.setNullableLong(ps, 8, key.lastUsedAt());
      ps.executeUpdate();
    }
  }

  public Optional<ApiKeyRecord> findByProofKeyId(Connection c, String proofKeyId)
      throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM api_keys WHERE proof_key_id = ?", proofKeyId);
  }

  public Optional<ApiKeyRecord> find(Connection c, String keyId) throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM api_keys WHERE key_id = ?", keyId);
  }

  public List<ApiKeyRecord> listForApp(Connection c, String appId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM api_keys WHERE app_id = ? ORDER BY created_at, key_id")) {
      ps.setString(1, appId);
      try (ResultSet rs = ps.executeQuery()) {
        List<ApiKeyRecord> keys = new ArrayList<>();
        while (rs.next()) {
          keys.add(map(rs));
        }
        return keys;
      }
    }
  }

  public List<ApiKeyRecord> listAdminKeys(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + COLUMNS
                    + " FROM api_keys WHERE kind = 'admin' ORDER BY created_at, key_id");
        ResultSet rs = ps.executeQuery()) {
      List<ApiKeyRecord> keys = new ArrayList<>();
      while (rs.next()) {
        keys.add(map(rs));
      }
      return keys;
    }
  }

  /**
   * Active admin keys, locking their rows so two revocations cannot remove the last one together.
   */
  public int lockActiveAdminKeys(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT key_id FROM api_keys WHERE kind = 'admin' AND revoked_at IS NULL FOR UPDATE");
        ResultSet rs = ps.executeQuery()) {
      int n = 0;
      while (rs.next()) {
        n++;
      }
      return n;
    }
  }

  public boolean anyActiveAdminKey(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT 1 FROM api_keys WHERE kind = 'admin' AND revoked_at IS NULL");
        ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  /** Sets revoked_at unless already revoked; returns whether a row changed. */
  public boolean revoke(Connection c, String keyId, long now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL")) {
      ps.setLong(1, now);
      ps.setString(2, keyId);
      return ps.executeUpdate() == 1;
    }
  }

  public void touch(Connection c, String keyId, long now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE api_keys SET last_used_at = ? WHERE key_id = ?")) {
      ps.setLong(1, now);
      ps.setString(2, keyId);
      ps.executeUpdate();
    }
  }

  private static Optional<ApiKeyRecord> one(Connection c, String sql, String param)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    }
  }

  private static ApiKeyRecord map(ResultSet rs) throws SQLException {
    return new ApiKeyRecord(
        rs.getString("key_id"),
        rs.getString("kind"),
        rs.getString("app_id"),
        rs.getString("proof_key_id"),
        rs.getString("public_key"),
        rs.getLong("created_at"),
        Rows.nullableLong(rs, "revoked_at"),
        Rows.nullableLong(rs, "last_used_at"));
  }
}
