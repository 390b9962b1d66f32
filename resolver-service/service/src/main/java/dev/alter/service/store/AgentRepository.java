package dev.alter.service.store;

import dev.alter.service.crypto.ProofKeys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code agents} and {@code agent_tokens} tables. */
public final class AgentRepository {
  private static final String AGENT_COLUMNS =
      "a.agent_id, a.label, a.created_at, a.revoked_at, "
          + "(SELECT MAX(t.created_at) FROM agent_tokens t WHERE t.agent_id = a.agent_id AND t.revoked_at IS NULL)";

  public void insert(Connection c, String agentId, String label, long now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO agents (agent_id, label, created_at, revoked_at) VALUES (?, ?, ?, NULL)")) {
      ps.setString(1, agentId);
      ps.setString(2, label);
      ps.setLong(3, now);
      ps.executeUpdate();
    }
  }

  public Optional<AgentRecord> find(Connection c, String agentId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + AGENT_COLUMNS + " FROM agents a WHERE a.agent_id = ?")) {
      ps.setString(1, agentId);
      List<AgentRecord> found = read(ps);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
  }

  public List<AgentRecord> listAll(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + AGENT_COLUMNS + " FROM agents a ORDER BY a.created_at, a.agent_id")) {
      return read(ps);
    }
  }

  /** Marks the agent revoked; false when it already was. */
  public boolean revoke(Connection c, String agentId, long now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE agents SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL")) {
      ps.setLong(1, now);
      ps.setString(2, agentId);
      return ps.executeUpdate() == 1;
    }
  }

  public void insertToken(Connection c, String agentId, ProofKeys.Stored token, long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO agent_tokens (proof_key_id, public_key, agent_id, "
                + "created_at, revoked_at) VALUES (?, ?, ?, ?, NULL)")) {
      ps.setString(1, token.keyId());
      ps.setString(2, token.publicKey());
      ps.setString(3, agentId);
      ps.setLong(4, now);
      ps.executeUpdate();
    }
  }

  /** Revokes every live token of the agent; returns how many. */
  public int revokeTokens(Connection c, String agentId, long now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE agent_tokens SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL")) {
      ps.setLong(1, now);
      ps.setString(2, agentId);
      return ps.executeUpdate();
    }
  }

  /** The token with this proof key id; revoked when the token or its agent is. */
  public Optional<AgentTokenRecord> findToken(Connection c, String proofKeyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT t.proof_key_id, t.public_key, t.agent_id, t.created_at, "
                + "t.revoked_at, a.revoked_at FROM agent_tokens t JOIN agents a ON a.agent_id = t.agent_id "
                + "WHERE t.proof_key_id = ?")) {
      ps.setString(1, proofKeyId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        rs.getLong(5);
        boolean tokenRevoked = !rs.wasNull();
        rs.getLong(6);
        boolean agentRevoked = !rs.wasNull();
        return Optional.of(
            new AgentTokenRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                tokenRevoked || agentRevoked));
      }
    }
  }

  private static List<AgentRecord> read(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      List<AgentRecord> out = new ArrayList<>();
      while (rs.next()) {
        long revoked = rs.getLong(4);
        Long revokedAt = rs.wasNull() ? null : revoked;
        long active = rs.getLong(5);
        Long activeAt = rs.wasNull() ? null : active;
        out.add(
            new AgentRecord(rs.getString(1), rs.getString(2), rs.getLong(3), revokedAt, activeAt));
      }
      return out;
    }
  }
}
