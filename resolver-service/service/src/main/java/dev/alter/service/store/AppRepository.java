package dev.alter.service.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class AppRepository {
  public void insert(Connection c, AppRecord app) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO apps (app_id, name, created_at) VALUES (?, ?, ?)")) {
      ps.setString(1, app.appId());
      ps.setString(2, app.name());
      ps.setLong(3, app.createdAt());
      ps.executeUpdate();
    }
  }

  public Optional<AppRecord> find(Connection c, String appId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT app_id, name, created_at FROM apps WHERE app_id = ?")) {
      ps.setString(1, appId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    }
  }

  public boolean nameTaken(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM apps WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  public List<AppRecord> list(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT app_id, name, created_at FROM apps ORDER BY created_at, app_id");
        ResultSet rs = ps.executeQuery()) {
      List<AppRecord> apps = new ArrayList<>();
      while (rs.next()) {
        apps.add(map(rs));
      }
      return apps;
    }
  }

  private static AppRecord map(ResultSet rs) throws SQLException {
    return new AppRecord(rs.getString(1), rs.getString(2), rs.getLong(3));
  }
}
