package dev.alter.service.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.alter.service.JsonCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code idps} table. */
public final class IdpRepository {
  private static final String COLUMNS =
      "idp_id, issuer, jwks_url, jwks_document, audiences, algorithms, "
          + "clock_skew_seconds, user_claim, group_claim, created_at, updated_at";

  public void insert(Connection c, IdpRecord r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO idps (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      bind(ps, r);
      ps.executeUpdate();
    }
  }

  /** Replaces every column but the id and creation time. */
  public void update(Connection c, IdpRecord r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE idps SET issuer = ?, jwks_url = ?, jwks_document = ?, "
                + "audiences = ?, algorithms = ?, clock_skew_seconds = ?, user_claim = ?, group_claim = ?, updated_at = ? "
                + "WHERE idp_id = ?")) {
      ps.setString(1, r.issuer());
      ps.setString(2, r.jwksUrl());
      ps.setString(3, r.jwksDocument());
      ps.setString(4, toJson(r.audiences()));
      ps.setString(5, toJson(r.algorithms()));
      ps.setInt(6, r.clockSkewSeconds());
      ps.setString(7, r.userClaim());
      ps.setString(8, r.groupClaim());
      ps.setLong(9, r.updatedAt());
      ps.setString(10, r.idpId());
      ps.executeUpdate();
    }
  }

  public boolean delete(Connection c, String idpId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM idps WHERE idp_id = ?")) {
      ps.setString(1, idpId);
      return ps.executeUpdate() == 1;
    }
  }

  public Optional<IdpRecord> find(Connection c, String idpId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM idps WHERE idp_id = ?")) {
      ps.setString(1, idpId);
      List<IdpRecord> found = read(ps);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
  }

  public List<IdpRecord> listAll(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM idps ORDER BY created_at, idp_id")) {
      return read(ps);
    }
  }

  private static void bind(PreparedStatement ps, IdpRecord r) throws SQLException {
    ps.setString(1, r.idpId());
    ps.setString(2, r.issuer());
    ps.setString(3, r.jwksUrl());
    ps.setString(4, r.jwksDocument());
    ps.setString(5, toJson(r.audiences()));
    ps.setString(6, toJson(r.algorithms()));
    ps.setInt(7, r.clockSkewSeconds());
    ps.setString(8, r.userClaim());
    ps.setString(9, r.groupClaim());
    ps.setLong(10, r.createdAt());
    ps.setLong(11, r.updatedAt());
  }

  private static List<IdpRecord> read(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      List<IdpRecord> out = new ArrayList<>();
      while (rs.next()) {
        out.add(
            new IdpRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                fromJson(rs.getString(5)),
                fromJson(rs.getString(6)),
                rs.getInt(7),
                rs.getString(8),
                rs.getString(9),
                rs.getLong(10),
                rs.getLong(11)));
      }
      return out;
    }
  }

  private static String toJson(List<String> values) {
    try {
      return JsonCodec.mapper().writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a list of strings", e);
    }
  }

  private static List<String> fromJson(String json) {
    try {
      return JsonCodec.mapper().readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored IdP list is unreadable", e);
    }
  }
}
