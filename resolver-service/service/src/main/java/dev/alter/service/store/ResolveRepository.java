package dev.alter.service.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The resolve path's one read: a grant, its secret and the secret's current credential version in a
 * single query (one round trip instead of three), on the same consistent snapshot.
 */
public final class ResolveRepository {
  private static final int SECRET_FIRST = 1 + GrantRepository.COLUMN_COUNT;
  private static final int VERSION_FIRST = SECRET_FIRST + SecretRepository.COLUMN_COUNT;
  private static final String SQL =
      "SELECT "
          + GrantRepository.COLUMNS
          + ", "
          + SecretRepository.COLUMNS
          + ", "
          + SecretRepository.VERSION_COLUMNS
          + " FROM grants g JOIN secrets s ON s.secret_id = g.secret_id "
          + "LEFT JOIN credential_versions v ON v.secret_id = s.secret_id AND v.credential_version = s.current_version "
          + "WHERE g.grant_id = ?";

  /** A grant with its secret and, unless the secret lost it (deleted), its current version. */
  public record GrantedSecret(
      GrantRecord grant, SecretRecord secret, Optional<CredentialVersionRecord> currentVersion) {}

  public Optional<GrantedSecret> find(Connection c, String grantId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SQL)) {
      ps.setString(1, grantId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    }
  }

  private static GrantedSecret map(ResultSet rs) throws SQLException {
    // the left join leaves every version column null when there is no current version
    Optional<CredentialVersionRecord> current =
        rs.getString(VERSION_FIRST) == null
            ? Optional.empty()
            : Optional.of(SecretRepository.mapVersion(rs, VERSION_FIRST));
    return new GrantedSecret(
        GrantRepository.map(rs, 1), SecretRepository.map(rs, SECRET_FIRST), current);
  }
}
