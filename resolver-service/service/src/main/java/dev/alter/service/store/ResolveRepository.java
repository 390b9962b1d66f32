package dev.alter.service.store;

import dev.alter.service.crypto.EncryptedCredential;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The resolve path's one read: a grant, its secret and the secret's current credential version
 * in a single query (one round trip instead of three), on the same consistent snapshot.
 */
public final class ResolveRepository {
  private static final String SQL = "SELECT g.grant_id, g.secret_id, g.app_id, g.label, g.principal_type, "
      + "g.principal, g.created_at, g.expires_at, g.revoked_at, "
      + "s.secret_id, s.app_id, s.provider, s.label, s.injection, s.destinations, s.allow_plain_http, "
      + "s.ttl_seconds, s.current_version, s.fingerprint, s.created_at, s.updated_at, s.deleted_at, "
      + "v.credential_version, v.master_key_id, v.wrapped_key, v.nonce, v.ciphertext, v.fingerprint, v.created_at "
      + "FROM grants g JOIN secrets s ON s.secret_id = g.secret_id "
      + "LEFT JOIN credential_versions v ON v.secret_id = s.secret_id AND v.credential_version = s.current_version "
      + "WHERE g.grant_id = ?";

  /** A grant with its secret and, unless the secret lost it (deleted), its current version. */
  public record GrantedSecret(GrantRecord grant, SecretRecord secret, Optional<CredentialVersionRecord> currentVersion) {}

  public Optional<GrantedSecret> find(Connection c, String grantId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SQL)) {
      ps.setString(1, grantId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    }
  }

  private static GrantedSecret map(ResultSet rs) throws SQLException {
    GrantRecord grant = new GrantRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getLong(7), nullableLong(rs, 8), nullableLong(rs, 9));
    SecretRecord secret = new SecretRecord(rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13),
        rs.getString(14), rs.getString(15), rs.getBoolean(16), rs.getInt(17), rs.getLong(18), rs.getString(19),
        rs.getLong(20), rs.getLong(21), nullableLong(rs, 22));
    long version = rs.getLong(23);
    Optional<CredentialVersionRecord> current = rs.wasNull() ? Optional.empty()
        : Optional.of(new CredentialVersionRecord(secret.secretId(), version,
            new EncryptedCredential(rs.getString(24), rs.getBytes(25), rs.getBytes(26), rs.getBytes(27)),
            rs.getString(28), rs.getLong(29)));
    return new GrantedSecret(grant, secret, current);
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }
}
