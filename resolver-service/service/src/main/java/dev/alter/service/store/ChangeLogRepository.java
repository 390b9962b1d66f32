package dev.alter.service.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code change_log} table. Appends take the sequence from {@code change_log_head} under its
 * row lock, which the appending transaction holds until it commits: entries therefore commit in
 * sequence order and a reader never skips one that commits later with a smaller number.
 */
public final class ChangeLogRepository {
  /** The PostgreSQL notification channel every replica listens on (a wake-up, not the data). */
  public static final String CHANNEL = "alter_changes";

  private static final String COLUMNS =
      "seq, occurred_at, kind, app_id, grant_id, secret_id, version, subject_id";

  private final boolean postgres;

  /**
   * @param postgres whether appends also send a {@code NOTIFY} (delivered at commit)
   */
  public ChangeLogRepository(boolean postgres) {
    this.postgres = postgres;
  }

  /** Appends the change in the caller's transaction and answers it with its sequence. */
  public ChangeRecord append(Connection c, ChangeRecord change) throws SQLException {
    long seq = lockHead(c) + 1;
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE change_log_head SET last_seq = ? WHERE id = 1")) {
      ps.setLong(1, seq);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO change_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, seq);
      ps.setLong(2, change.occurredAt());
      ps.setString(3, change.kind());
      ps.setString(4, change.appId());
      ps.setString(5, change.grantId());
      ps.setString(6, change.secretId());
      Rows.setNullableLong(ps, 7, change.version());
      ps.setString(8, change.subjectId());
      ps.executeUpdate();
    }
    if (postgres) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
        ps.setString(1, CHANNEL);
        ps.setString(2, Long.toString(seq));
        ps.executeQuery().close();
      }
    }
    return change.at(seq);
  }

  /** The last sequence appended, taking the head's row lock until the transaction ends. */
  public long lockHead(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT last_seq FROM change_log_head WHERE id = 1 FOR UPDATE");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("change_log_head has no row", "55000");
      }
      return rs.getLong(1);
    }
  }

  /** The last sequence appended (committed), without a lock. */
  public long lastSeq(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT last_seq FROM change_log_head WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** The oldest sequence still kept, or null when the log is empty. */
  public Long firstSeq(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT MIN(seq) FROM change_log");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Rows.nullableLong(rs, 1) : null;
    }
  }

  /** Up to {@code limit} entries after {@code seq}, in order. */
  public List<ChangeRecord> readAfter(Connection c, long seq, int limit) throws SQLException {
    List<ChangeRecord> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM change_log WHERE seq > ? ORDER BY seq LIMIT " + limit)) {
      ps.setLong(1, seq);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ChangeRecord(
                  rs.getLong(1),
                  rs.getLong(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  Rows.nullableLong(rs, 7),
                  rs.getString(8)));
        }
      }
    }
    return out;
  }

  /** Deletes entries that occurred before {@code cutoff}; answers how many. */
  public int deleteOlderThan(Connection c, long cutoff) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM change_log WHERE occurred_at < ?")) {
      ps.setLong(1, cutoff);
      return ps.executeUpdate();
    }
  }

  /** A grant that expired in the window and whose expiry the log does not hold yet. */
  public record UnannouncedExpiry(String grantId, String appId, String secretId, long expiresAt) {}

  /**
   * Grants whose {@code expires_at} lies in {@code (notBefore, now]}, unrevoked, with no {@code
   * kind} entry in the log.
   */
  public List<UnannouncedExpiry> unannouncedExpiries(
      Connection c, String kind, long notBefore, long now) throws SQLException {
    List<UnannouncedExpiry> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT g.grant_id, g.app_id, g.secret_id, g.expires_at FROM grants g"
                + " WHERE g.expires_at > ? AND g.expires_at <= ? AND g.revoked_at IS NULL"
                + " AND NOT EXISTS (SELECT 1 FROM change_log l"
                + " WHERE l.grant_id = g.grant_id AND l.kind = ?)")) {
      ps.setLong(1, notBefore);
      ps.setLong(2, now);
      ps.setString(3, kind);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new UnannouncedExpiry(
                  rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
        }
      }
    }
    return out;
  }
}
