package dev.alter.service.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

public final class AuditRepository {
  private static final String INSERT =
      "INSERT INTO audit_events (event_id, occurred_at, "
          + "actor, action, app_id, secret_id, grant_id, principal, destination_host, outcome, reason, "
          + "fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  public void insert(Connection c, AuditEvent e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      bind(ps, e);
      ps.executeUpdate();
    }
  }

  /**
   * One more occurrence of the event at {@code at} (a repeated identical denial).
   *
   * @return false when no such event exists
   */
  public boolean countRepeat(Connection c, String eventId, long at) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE audit_events SET repeat_count = repeat_count + 1, last_occurred_at = ? "
                + "WHERE event_id = ?")) {
      ps.setLong(1, at);
      ps.setString(2, eventId);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Inserts the events in order with one statement (a JDBC batch: one round trip on PostgreSQL).
   */
  public void insertAll(Connection c, List<AuditEvent> events) throws SQLException {
    if (events.size() == 1) {
      insert(c, events.get(0));
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (AuditEvent e : events) {
        bind(ps, e);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void bind(PreparedStatement ps, AuditEvent e) throws SQLException {
    ps.setString(1, e.eventId());
    ps.setLong(2, e.occurredAt());
    ps.setString(3, e.actor());
    ps.setString(4, e.action());
    ps.setString(5, e.appId());
    ps.setString(6, e.secretId());
    ps.setString(7, e.grantId());
    ps.setString(8, e.principal());
    ps.setString(9, e.destinationHost());
    ps.setString(10, e.outcome());
    ps.setString(11, e.reason());
    ps.setString(12, e.fingerprint());
  }

  /** Newest first, at most {@code query.limit()} events. */
  public List<AuditEvent> find(Connection c, AuditQuery q) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT seq, event_id, occurred_at, actor, action, app_id, "
                + "secret_id, grant_id, principal, destination_host, outcome, reason, fingerprint, "
                + "repeat_count, last_occurred_at "
                + "FROM audit_events WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    filter(sql, params, "app_id = ?", q.appId());
    filter(sql, params, "secret_id = ?", q.secretId());
    filter(sql, params, "grant_id = ?", q.grantId());
    filter(sql, params, "outcome = ?", q.outcome());
    filter(sql, params, "action = ?", q.action());
    filter(sql, params, "occurred_at >= ?", q.fromMillis());
    filter(sql, params, "occurred_at < ?", q.toMillis());
    filter(sql, params, "seq < ?", q.beforeSeq());
    sql.append(" ORDER BY seq DESC");
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < params.size(); i++) {
        ps.setObject(i + 1, params.get(i));
      }
      ps.setMaxRows(q.limit());
      try (ResultSet rs = ps.executeQuery()) {
        List<AuditEvent> out = new ArrayList<>();
        while (rs.next()) {
          out.add(
              new AuditEvent(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getLong(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8),
                  rs.getString(9),
                  rs.getString(10),
                  rs.getString(11),
                  rs.getString(12),
                  rs.getString(13),
                  rs.getInt(14),
                  rs.getObject(15) == null ? null : rs.getLong(15)));
        }
        return out;
      }
    }
  }

  private static void filter(StringBuilder sql, List<Object> params, String clause, Object value) {
    if (value != null) {
      sql.append(" AND ").append(clause);
      params.add(value);
    }
  }
}
