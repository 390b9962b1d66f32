package dev.alter.service.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import dev.alter.contract.InjectionSpec;
import dev.alter.service.JsonCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Per app and provider, what the app's users may upload (table user_secret_allowances). */
public final class UserSecretAllowanceRepository {
  private static final String COLUMNS =
      "app_id, provider, injection, destinations, idp_ids, max_per_user, created_at, updated_at";
  private static final JavaType INJECTION = JsonCodec.mapper().constructType(InjectionSpec.class);
  private static final JavaType STRINGS =
      JsonCodec.mapper().getTypeFactory().constructCollectionType(List.class, String.class);

  /** Inserts, or replaces the allowance of the same app and provider (keeping created_at). */
  public void upsert(Connection c, UserSecretAllowanceRecord a) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE user_secret_allowances SET injection = ?, destinations = ?, idp_ids = ?, "
                + "max_per_user = ?, updated_at = ? WHERE app_id = ? AND provider = ?")) {
      ps.setString(1, json(a.injection()));
      ps.setString(2, json(a.destinations()));
      ps.setString(3, json(a.idpIds()));
      ps.setInt(4, a.maxPerUser());
      ps.setLong(5, a.updatedAt());
      ps.setString(6, a.appId());
      ps.setString(7, a.provider());
      if (ps.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO user_secret_allowances ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, a.appId());
      ps.setString(2, a.provider());
      ps.setString(3, json(a.injection()));
      ps.setString(4, json(a.destinations()));
      ps.setString(5, json(a.idpIds()));
      ps.setInt(6, a.maxPerUser());
      ps.setLong(7, a.createdAt());
      ps.setLong(8, a.updatedAt());
      ps.executeUpdate();
    }
  }

  public Optional<UserSecretAllowanceRecord> find(Connection c, String appId, String provider)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM user_secret_allowances WHERE app_id = ? AND provider = ?")) {
      ps.setString(1, appId);
      ps.setString(2, provider);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    }
  }

  public List<UserSecretAllowanceRecord> listByApp(Connection c, String appId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM user_secret_allowances WHERE app_id = ? ORDER BY provider")) {
      ps.setString(1, appId);
      try (ResultSet rs = ps.executeQuery()) {
        List<UserSecretAllowanceRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(map(rs));
        }
        return out;
      }
    }
  }

  public boolean delete(Connection c, String appId, String provider) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM user_secret_allowances WHERE app_id = ? AND provider = ?")) {
      ps.setString(1, appId);
      ps.setString(2, provider);
      return ps.executeUpdate() == 1;
    }
  }

  private static UserSecretAllowanceRecord map(ResultSet rs) throws SQLException {
    return new UserSecretAllowanceRecord(
        rs.getString(1),
        rs.getString(2),
        read(rs.getString(3), INJECTION),
        read(rs.getString(4), STRINGS),
        read(rs.getString(5), STRINGS),
        rs.getInt(6),
        rs.getLong(7),
        rs.getLong(8));
  }

  private static <T> T read(String json, JavaType type) {
    try {
      return JsonCodec.mapper().readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored user-secret allowance cannot be read", e);
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
