package dev.alter.service.store;

import dev.alter.service.crypto.EncryptedCredential;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Webhook receivers and their delivery state. Every delivery-state write names the lease owner, so
 * a replica whose lease was taken over changes nothing.
 */
public final class WebhookRepository {
  private static final String COLUMNS =
      "receiver_id, url, description, allow_plain_http, master_key_id, wrapped_key, nonce,"
          + " ciphertext, status, delivered_pos, attempts, failing_since, next_attempt_at,"
          + " last_error, last_delivered_at, created_at";

  public void insert(Connection c, WebhookReceiverRecord r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO webhook_receivers ("
                + COLUMNS
                + ", lease_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)")) {
      ps.setString(1, r.receiverId());
      ps.setString(2, r.url());
      ps.setString(3, r.description());
      ps.setBoolean(4, r.allowPlainHttp());
      ps.setString(5, r.signingSecret().masterKeyId());
      ps.setBytes(6, r.signingSecret().wrappedKey());
      ps.setBytes(7, r.signingSecret().nonce());
      ps.setBytes(8, r.signingSecret().ciphertext());
      ps.setString(9, r.status());
      ps.setLong(10, r.deliveredPos());
      ps.setInt(11, r.attempts());
      setLong(ps, 12, r.failingSince());
      ps.setLong(13, r.nextAttemptAt());
      ps.setString(14, r.lastError());
      setLong(ps, 15, r.lastDeliveredAt());
      ps.setLong(16, r.createdAt());
      ps.executeUpdate();
    }
  }

  /** Receivers not deleted, oldest first. */
  public List<WebhookReceiverRecord> list(Connection c) throws SQLException {
    return query(
        c,
        "SELECT "
            + COLUMNS
            + " FROM webhook_receivers WHERE deleted_at IS NULL ORDER BY created_at, receiver_id");
  }

  public Optional<WebhookReceiverRecord> find(Connection c, String receiverId) throws SQLException {
    List<WebhookReceiverRecord> rows =
        query(
            c,
            "SELECT "
                + COLUMNS
                + " FROM webhook_receivers WHERE receiver_id = ? AND deleted_at IS NULL",
            receiverId);
    return rows.stream().findFirst();
  }

  /** Active receivers whose next attempt is due and whose lease is free, expired or ours. */
  public List<String> due(Connection c, long now, String owner) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT receiver_id FROM webhook_receivers WHERE deleted_at IS NULL AND status = ?"
                + " AND next_attempt_at <= ? AND (lease_owner IS NULL OR lease_until < ?"
                + " OR lease_owner = ?) ORDER BY receiver_id")) {
      ps.setString(1, WebhookReceiverRecord.ACTIVE);
      ps.setLong(2, now);
      ps.setLong(3, now);
      ps.setString(4, owner);
      try (ResultSet rs = ps.executeQuery()) {
        List<String> ids = new ArrayList<>();
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
        return ids;
      }
    }
  }

  /**
   * Takes (or renews) the delivery lease: true when this owner now holds it until {@code until}.
   * The conditional update is atomic, so of several replicas one wins.
   */
  public boolean claim(Connection c, String receiverId, String owner, long now, long until)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE webhook_receivers SET lease_owner = ?, lease_until = ? WHERE receiver_id = ?"
                + " AND deleted_at IS NULL AND status = ? AND next_attempt_at <= ?"
                + " AND (lease_owner IS NULL OR lease_until < ? OR lease_owner = ?)")) {
      ps.setString(1, owner);
      ps.setLong(2, until);
      ps.setString(3, receiverId);
      ps.setString(4, WebhookReceiverRecord.ACTIVE);
      ps.setLong(5, now);
      ps.setLong(6, now);
      ps.setString(7, owner);
      return ps.executeUpdate() == 1;
    }
  }

  /** Records an acknowledged delivery and renews the lease; false when the lease is not ours. */
  public boolean delivered(
      Connection c, String receiverId, String owner, long position, long now, long leaseUntil)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE webhook_receivers SET delivered_pos = ?, attempts = 0, failing_since = NULL,"
                + " last_error = NULL, last_delivered_at = ?, lease_until = ?"
                + " WHERE receiver_id = ? AND lease_owner = ? AND delivered_pos < ?")) {
      ps.setLong(1, position);
      ps.setLong(2, now);
      ps.setLong(3, leaseUntil);
      ps.setString(4, receiverId);
      ps.setString(5, owner);
      ps.setLong(6, position);
      return ps.executeUpdate() == 1;
    }
  }

  /** Records a failed attempt, schedules the next one and gives up the lease. */
  public void failed(
      Connection c,
      String receiverId,
      String owner,
      String status,
      int attempts,
      long failingSince,
      long nextAttemptAt,
      String error)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE webhook_receivers SET status = ?, attempts = ?, failing_since = ?,"
                + " next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = 0"
                + " WHERE receiver_id = ? AND lease_owner = ?")) {
      ps.setString(1, status);
      ps.setInt(2, attempts);
      ps.setLong(3, failingSince);
      ps.setLong(4, nextAttemptAt);
      ps.setString(5, error);
      ps.setString(6, receiverId);
      ps.setString(7, owner);
      ps.executeUpdate();
    }
  }

  public void release(Connection c, String receiverId, String owner) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE webhook_receivers SET lease_owner = NULL, lease_until = 0"
                + " WHERE receiver_id = ? AND lease_owner = ?")) {
      ps.setString(1, receiverId);
      ps.setString(2, owner);
      ps.executeUpdate();
    }
  }

  /**
   * Makes the receiver active again from {@code position}: the next delivery is the event after it.
   * Takes the lease away from whoever holds it, so a replica mid-batch stops at its next write.
   */
  public boolean replay(Connection c, String receiverId, long position) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE webhook_receivers SET status = ?, delivered_pos = ?, attempts = 0,"
                + " failing_since = NULL, next_attempt_at = 0, last_error = NULL,"
                + " lease_owner = NULL, lease_until = 0"
                + " WHERE receiver_id = ? AND deleted_at IS NULL")) {
      ps.setString(1, WebhookReceiverRecord.ACTIVE);
      ps.setLong(2, position);
      ps.setString(3, receiverId);
      return ps.executeUpdate() == 1;
    }
  }

  public boolean delete(Connection c, String receiverId, long now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE webhook_receivers SET deleted_at = ?, lease_owner = NULL, lease_until = 0"
                + " WHERE receiver_id = ? AND deleted_at IS NULL")) {
      ps.setLong(1, now);
      ps.setString(2, receiverId);
      return ps.executeUpdate() == 1;
    }
  }

  /** Receivers (deleted ones too) whose signing secret is wrapped by {@code masterKeyId}. */
  public List<WebhookReceiverRecord> wrappedBy(Connection c, String masterKeyId)
      throws SQLException {
    return query(
        c, "SELECT " + COLUMNS + " FROM webhook_receivers WHERE master_key_id = ?", masterKeyId);
  }

  /** Replaces the wrapped data key if the row is still wrapped by {@code fromKeyId}. */
  public boolean replaceWrappedKey(
      Connection c, String receiverId, String fromKeyId, String toKeyId, byte[] wrappedKey)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE webhook_receivers SET master_key_id = ?, wrapped_key = ?"
                + " WHERE receiver_id = ? AND master_key_id = ?")) {
      ps.setString(1, toKeyId);
      ps.setBytes(2, wrappedKey);
      ps.setString(3, receiverId);
      ps.setString(4, fromKeyId);
      return ps.executeUpdate() == 1;
    }
  }

  private static List<WebhookReceiverRecord> query(Connection c, String sql, String... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<WebhookReceiverRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(
              new WebhookReceiverRecord(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getBoolean(4),
                  new EncryptedCredential(
                      rs.getString(5), rs.getBytes(6), rs.getBytes(7), rs.getBytes(8)),
                  rs.getString(9),
                  rs.getLong(10),
                  rs.getInt(11),
                  nullableLong(rs, 12),
                  rs.getLong(13),
                  rs.getString(14),
                  nullableLong(rs, 15),
                  rs.getLong(16)));
        }
        return out;
      }
    }
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }
}
