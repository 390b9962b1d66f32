package dev.alter.service.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The live keys users uploaded (table user_secrets); a deleted key's row is removed. */
public final class UserSecretRepository {
  private static final String COLUMNS =
      "secret_id, grant_id, app_id, provider, idp_id, user_id, name, created_at";

  public void insert(Connection c, UserSecretRecord u) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO user_secrets (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, u.secretId());
      ps.setString(2, u.grantId());
      ps.setString(3, u.appId());
      ps.setString(4, u.provider());
      ps.setString(5, u.idpId());
      ps.setString(6, u.userId());
      ps.setString(7, u.name());
      ps.setLong(8, u.createdAt());
      ps.executeUpdate();
    }
  }

  /** The user's keys for this app and provider, oldest first. */
  public List<UserSecretRecord> listOwned(
      Connection c, String appId, String provider, String idpId, String userId)
      throws SQLException {
    return query(
        c,
        "SELECT "
            + COLUMNS
            + " FROM user_secrets WHERE app_id = ? AND provider = ? AND idp_id = ? AND user_id = ?"
            + " ORDER BY created_at, secret_id",
        appId,
        provider,
        idpId,
        userId);
  }

  /** Every user's keys of this app and provider. */
  public List<UserSecretRecord> listByProvider(Connection c, String appId, String provider)
      throws SQLException {
    return query(
        c,
        "SELECT "
            + COLUMNS
            + " FROM user_secrets WHERE app_id = ? AND provider = ? ORDER BY created_at, secret_id",
        appId,
        provider);
  }

  public int countByProvider(Connection c, String appId, String provider) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT COUNT(*) FROM user_secrets WHERE app_id = ? AND provider = ?")) {
      ps.setString(1, appId);
      ps.setString(2, provider);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  public boolean delete(Connection c, String secretId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM user_secrets WHERE secret_id = ?")) {
      ps.setString(1, secretId);
      return ps.executeUpdate() == 1;
    }
  }

  private static List<UserSecretRecord> query(Connection c, String sql, String... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<UserSecretRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(
              new UserSecretRecord(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getLong(8)));
        }
        return out;
      }
    }
  }
}
