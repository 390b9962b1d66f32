package dev.alter.service.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Export positions of audit events: the commit-order cursor of {@code GET /v1/audit/export} and of
 * webhook delivery.
 *
 * <p>Why not {@code seq}: it is taken from the identity sequence when the row is inserted, not when
 * its transaction commits. On PostgreSQL two transactions A (seq 10) and B (seq 11) may commit B
 * first; a reader that saw 11 and moved its cursor past it would never see 10 when A commits a
 * moment later. Waiting "long enough" is no answer: an operator transaction can stay open for any
 * time.
 *
 * <p>So an event gets its export position only once it is visible, i.e. committed: {@link
 * #assignPositions} takes the sequencer row's lock ({@code FOR UPDATE}), numbers every committed
 * event that has no position yet, in {@code seq} order, after the last position handed out, and
 * commits. The lock serializes sequencer transactions across threads and replicas, and a sequencer
 * transaction commits all its positions at once, so positions become visible in increasing order
 * without gaps: a reader that has seen position p has seen every position below p, and an event
 * that commits late is numbered after everything already handed out. A cursor ({@code export_pos >
 * ?}) therefore never skips an event and never yields one twice. Resolves pay nothing for it: the
 * numbering runs later, on the export and delivery side.
 */
public final class AuditExportRepository {
  private static final String COLUMNS =
      "export_pos, event_id, occurred_at, actor, action, app_id, secret_id, grant_id, principal,"
          + " destination_host, outcome, reason, fingerprint";

  /** An event with its export position. */
  public record Positioned(long position, AuditEvent event) {}

  /**
   * Numbers up to {@code max} committed events that have no position yet (call inside its own
   * transaction, which then commits). Returns how many it numbered.
   */
  public int assignPositions(Connection c, int max) throws SQLException {
    long last;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT last_pos FROM audit_export_sequencer WHERE id = 1 FOR UPDATE")) {
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the audit export sequencer row is missing", "55000");
        }
        last = rs.getLong(1);
      }
    }
    List<Long> pending = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT seq FROM audit_events WHERE export_pos IS NULL ORDER BY seq FETCH FIRST "
                + max
                + " ROWS ONLY")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          pending.add(rs.getLong(1));
        }
      }
    }
    if (pending.isEmpty()) {
      return 0;
    }
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE audit_events SET export_pos = ? WHERE seq = ?")) {
      for (long seq : pending) {
        ps.setLong(1, ++last);
        ps.setLong(2, seq);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE audit_export_sequencer SET last_pos = ? WHERE id = 1")) {
      ps.setLong(1, last);
      ps.executeUpdate();
    }
    return pending.size();
  }

  /** Committed, numbered events after {@code position}, in export order, at most {@code limit}. */
  public List<Positioned> after(Connection c, long position, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM audit_events WHERE export_pos > ? ORDER BY export_pos FETCH FIRST "
                + limit
                + " ROWS ONLY")) {
      ps.setLong(1, position);
      try (ResultSet rs = ps.executeQuery()) {
        List<Positioned> out = new ArrayList<>();
        while (rs.next()) {
          out.add(
              new Positioned(
                  rs.getLong(1),
                  new AuditEvent(
                      0,
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
                      rs.getString(13))));
        }
        return out;
      }
    }
  }

  /** The last position handed out (0 before any). */
  public long lastPosition(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT last_pos FROM audit_export_sequencer WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
