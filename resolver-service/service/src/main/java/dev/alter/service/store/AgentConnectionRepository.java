package dev.alter.service.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The {@code agent_connections} table: who is subscribed, through which replica. */
public final class AgentConnectionRepository {
  private static final String COLUMNS =
      "connection_id, app_id, key_id, host_name, pid, agent_version, replica, connected_at,"
          + " last_seen_at";

  public void insert(Connection c, AgentConnectionRecord r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO agent_connections (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, r.connectionId());
      ps.setString(2, r.appId());
      ps.setString(3, r.keyId());
      ps.setString(4, r.hostName());
      ps.setLong(5, r.pid());
      ps.setString(6, r.agentVersion());
      ps.setString(7, r.replica());
      ps.setLong(8, r.connectedAt());
      ps.setLong(9, r.lastSeenAt());
      ps.executeUpdate();
    }
  }

  public void delete(Connection c, String connectionId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM agent_connections WHERE connection_id = ?")) {
      ps.setString(1, connectionId);
      ps.executeUpdate();
    }
  }

  /** Sets last_seen_at of each connection to the time given beside it. */
  public void touch(Connection c, Collection<AgentConnectionRecord> seen) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE agent_connections SET last_seen_at = ? WHERE connection_id = ?")) {
      for (AgentConnectionRecord r : seen) {
        ps.setLong(1, r.lastSeenAt());
        ps.setString(2, r.connectionId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Removes rows not refreshed since {@code cutoff}: their replica is gone. */
  public int deleteUnseenSince(Connection c, long cutoff) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM agent_connections WHERE last_seen_at < ?")) {
      ps.setLong(1, cutoff);
      return ps.executeUpdate();
    }
  }

  /** Removes every row of this replica (at start: left behind by its previous run). */
  public void deleteOfReplica(Connection c, String replica) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM agent_connections WHERE replica = ?")) {
      ps.setString(1, replica);
      ps.executeUpdate();
    }
  }

  /** Connections seen since {@code cutoff}, of one app or all (null). */
  public List<AgentConnectionRecord> listSeenSince(Connection c, String appIdOrNull, long cutoff)
      throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM agent_connections WHERE last_seen_at >= ?"
            + (appIdOrNull == null ? "" : " AND app_id = ?")
            + " ORDER BY app_id, connected_at, connection_id";
    List<AgentConnectionRecord> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, cutoff);
      if (appIdOrNull != null) {
        ps.setString(2, appIdOrNull);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new AgentConnectionRecord(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getLong(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getLong(8),
                  rs.getLong(9)));
        }
      }
    }
    return out;
  }
}
