package dev.alter.service.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/** Refresh-token secrets whose stored version the provider rejected (V12). */
public final class ReauthorizationRepository {

  /** The rejected version of the secret, if any. */
  public OptionalLong rejectedVersion(Connection c, String secretId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT version FROM secret_reauthorization WHERE secret_id = ?")) {
      ps.setString(1, secretId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  /** Records that {@code version} was rejected, replacing an older record. */
  public void markRejected(Connection c, String secretId, long version, long now)
      throws SQLException {
    try (PreparedStatement delete =
            c.prepareStatement("DELETE FROM secret_reauthorization WHERE secret_id = ?");
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO secret_reauthorization (secret_id, version, rejected_at)"
                    + " VALUES (?, ?, ?)")) {
      delete.setString(1, secretId);
      delete.executeUpdate();
      insert.setString(1, secretId);
      insert.setLong(2, version);
      insert.setLong(3, now);
      insert.executeUpdate();
    }
  }
}
