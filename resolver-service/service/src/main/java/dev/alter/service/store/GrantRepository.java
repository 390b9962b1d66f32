package dev.alter.service.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class GrantRepository {
  /** What {@link #map} reads, in its order, from table alias {@code g}. */
  static final String COLUMNS =
      "g.grant_id, g.secret_id, g.app_id, g.label, g.principal_type, "
          + "g.principal, g.created_at, g.expires_at, g.revoked_at, g.policy";

  static final int COLUMN_COUNT = 10;

  public void insert(Connection c, GrantRecord g) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO grants (grant_id, secret_id, app_id, "
                + "label, principal_type, principal, created_at, expires_at, revoked_at, policy) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, g.grantId());
      ps.setString(2, g.secretId());
      ps.setString(3, g.appId());
      ps.setString(4, g.label());
      ps.setString(5, g.principalType());
      ps.setString(6, g.principalJson());
      ps.setLong(7, g.createdAt());
      Rows.setNullableLong(ps, 8, g.expiresAt());
      Rows.setNullableLong(ps, 9, g.revokedAt());
      ps.setString(10, g.policyJson());
      ps.executeUpdate();
    }
  }

  public Optional<GrantRecord> find(Connection c, String grantId) throws SQLException {
    List<GrantRecord> found =
        query(c, "SELECT " + COLUMNS + " FROM grants g WHERE g.grant_id = ?", grantId);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  public List<GrantRecord> listBySecret(Connection c, String secretId) throws SQLException {
    return query(
        c,
        "SELECT "
            + COLUMNS
            + " FROM grants g WHERE g.secret_id = ? ORDER BY g.created_at, g.grant_id",
        secretId);
  }

  public List<GrantRecord> listByApp(Connection c, String appId) throws SQLException {
    return query(
        c,
        "SELECT " + COLUMNS + " FROM grants g WHERE g.app_id = ? ORDER BY g.created_at, g.grant_id",
        appId);
  }

  public List<GrantRecord> listAll(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM grants g ORDER BY g.created_at, g.grant_id")) {
      return read(ps);
    }
  }

  /**
   * Grants of one app whose live secret has this provider and whose principal has this type, not
   * revoked and not expired at {@code now}.
   */
  public List<GrantRecord> findUsable(
      Connection c, String appId, String provider, String principalType, long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM grants g JOIN secrets s "
                + "ON s.secret_id = g.secret_id WHERE g.app_id = ? AND s.provider = ? AND g.principal_type = ? "
                + "AND s.deleted_at IS NULL AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?) "
                + "ORDER BY g.created_at, g.grant_id")) {
      ps.setString(1, appId);
      ps.setString(2, provider);
      ps.setString(3, principalType);
      ps.setLong(4, now);
      return read(ps);
    }
  }

  /**
   * The app's live user, group and agent grants whose live secret has this provider: the candidates
   * of {@code alter-grant: @provider} for a caller that presents an identity.
   */
  public List<GrantRecord> findUsableNonSystem(
      Connection c, String appId, String provider, long now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM grants g JOIN secrets s "
                + "ON s.secret_id = g.secret_id WHERE g.app_id = ? AND s.provider = ? AND g.principal_type <> 'system' "
                + "AND s.deleted_at IS NULL AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?) "
                + "ORDER BY g.created_at, g.grant_id")) {
      ps.setString(1, appId);
      ps.setString(2, provider);
      ps.setLong(3, now);
      return read(ps);
    }
  }

  /** Replaces the grant's policy (null = none); the grant keeps its id. */
  public boolean updatePolicy(Connection c, String grantId, String policyJson) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE grants SET policy = ? WHERE grant_id = ?")) {
      ps.setString(1, policyJson);
      ps.setString(2, grantId);
      return ps.executeUpdate() == 1;
    }
  }

  public boolean revoke(Connection c, String grantId, long now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE grants SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL")) {
      ps.setLong(1, now);
      ps.setString(2, grantId);
      return ps.executeUpdate() == 1;
    }
  }

  private static List<GrantRecord> query(Connection c, String sql, String param)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      return read(ps);
    }
  }

  private static List<GrantRecord> read(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      List<GrantRecord> out = new ArrayList<>();
      while (rs.next()) {
        out.add(map(rs, 1));
      }
      return out;
    }
  }

  /** The grant in the {@link #COLUMNS} that start at column {@code first}. */
  static GrantRecord map(ResultSet rs, int first) throws SQLException {
    return new GrantRecord(
        rs.getString(first),
        rs.getString(first + 1),
        rs.getString(first + 2),
        rs.getString(first + 3),
        rs.getString(first + 4),
        rs.getString(first + 5),
        rs.getLong(first + 6),
        Rows.nullableLong(rs, first + 7),
        Rows.nullableLong(rs, first + 8),
        rs.getString(first + 9));
  }
}
