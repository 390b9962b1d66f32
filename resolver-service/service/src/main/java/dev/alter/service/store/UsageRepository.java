package dev.alter.service.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per-minute usage aggregates and provider-rejection flags. Additions are {@code MERGE} statements
 * (standard SQL, the same text on H2 and PostgreSQL 15+), so batches of several replicas add up.
 */
public final class UsageRepository {
  /** The counters of one grant (and identity digest) in one minute. */
  public record Counts(
      long injected,
      long refused,
      long s1xx,
      long s2xx,
      long s3xx,
      long s4xx,
      long s5xx,
      long s401,
      long s403,
      long s429) {}

  public record Row(
      long minuteStart,
      String grantId,
      String identityDigest,
      String appId,
      String secretId,
      Counts counts) {}

  public record Refusals(String grantId, String code, long refused) {}

  public record Filter(
      String appId, String secretId, String grantId, long fromMillis, long toMillis) {}

  public record Rejection(
      String secretId,
      String appId,
      long firstSeen,
      long lastSeen,
      long rejections,
      long flaggedVersion,
      long lastEventAt,
      Long clearedAt) {}

  public void add(Connection c, Row r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "MERGE INTO usage_minutes u USING (VALUES (CAST(? AS BIGINT), CAST(? AS VARCHAR(40)),"
                + " CAST(? AS VARCHAR(64)))) AS k (m, g, d)"
                + " ON u.minute_start = k.m AND u.grant_id = k.g AND u.identity_digest = k.d"
                + " WHEN MATCHED THEN UPDATE SET injected = u.injected + ?, refused = u.refused + ?,"
                + " status_1xx = u.status_1xx + ?, status_2xx = u.status_2xx + ?,"
                + " status_3xx = u.status_3xx + ?, status_4xx = u.status_4xx + ?,"
                + " status_5xx = u.status_5xx + ?, status_401 = u.status_401 + ?,"
                + " status_403 = u.status_403 + ?, status_429 = u.status_429 + ?"
                + " WHEN NOT MATCHED THEN INSERT (minute_start, grant_id, identity_digest, app_id,"
                + " secret_id, injected, refused, status_1xx, status_2xx, status_3xx, status_4xx,"
                + " status_5xx, status_401, status_403, status_429)"
                + " VALUES (k.m, k.g, k.d, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      int i = 1;
      ps.setLong(i++, r.minuteStart());
      ps.setString(i++, r.grantId());
      ps.setString(i++, r.identityDigest());
      i = bindCounts(ps, i, r.counts());
      ps.setString(i++, r.appId());
      ps.setString(i++, r.secretId());
      bindCounts(ps, i, r.counts());
      ps.executeUpdate();
    }
  }

  public void addRefusals(
      Connection c,
      long minuteStart,
      String grantId,
      String digest,
      String appId,
      String secretId,
      String code,
      long n)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "MERGE INTO usage_refusals u USING (VALUES (CAST(? AS BIGINT), CAST(? AS VARCHAR(40)),"
                + " CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(40)))) AS k (m, g, d, code)"
                + " ON u.minute_start = k.m AND u.grant_id = k.g AND u.identity_digest = k.d"
                + " AND u.code = k.code"
                + " WHEN MATCHED THEN UPDATE SET refused = u.refused + ?"
                + " WHEN NOT MATCHED THEN INSERT (minute_start, grant_id, identity_digest, code,"
                + " app_id, secret_id, refused) VALUES (k.m, k.g, k.d, k.code, ?, ?, ?)")) {
      ps.setLong(1, minuteStart);
      ps.setString(2, grantId);
      ps.setString(3, digest);
      ps.setString(4, code);
      ps.setLong(5, n);
      ps.setString(6, appId);
      ps.setString(7, secretId);
      ps.setLong(8, n);
      ps.executeUpdate();
    }
  }

  private static int bindCounts(PreparedStatement ps, int i, Counts n) throws SQLException {
    ps.setLong(i++, n.injected());
    ps.setLong(i++, n.refused());
    ps.setLong(i++, n.s1xx());
    ps.setLong(i++, n.s2xx());
    ps.setLong(i++, n.s3xx());
    ps.setLong(i++, n.s4xx());
    ps.setLong(i++, n.s5xx());
    ps.setLong(i++, n.s401());
    ps.setLong(i++, n.s403());
    ps.setLong(i++, n.s429());
    return i;
  }

  /** Sums per grant and identity digest over the filter's time range. */
  public List<Row> totals(Connection c, Filter f) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT grant_id, identity_digest, MIN(app_id), MIN(secret_id), SUM(injected),"
                + " SUM(refused), SUM(status_1xx), SUM(status_2xx), SUM(status_3xx),"
                + " SUM(status_4xx), SUM(status_5xx), SUM(status_401), SUM(status_403),"
                + " SUM(status_429) FROM usage_minutes WHERE minute_start >= ? AND minute_start < ?");
    List<String> args = where(sql, f);
    sql.append(" GROUP BY grant_id, identity_digest ORDER BY grant_id, identity_digest");
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      ps.setLong(1, f.fromMillis());
      ps.setLong(2, f.toMillis());
      for (int i = 0; i < args.size(); i++) {
        ps.setString(i + 3, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<Row> out = new ArrayList<>();
        while (rs.next()) {
          out.add(
              new Row(
                  0,
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  new Counts(
                      rs.getLong(5),
                      rs.getLong(6),
                      rs.getLong(7),
                      rs.getLong(8),
                      rs.getLong(9),
                      rs.getLong(10),
                      rs.getLong(11),
                      rs.getLong(12),
                      rs.getLong(13),
                      rs.getLong(14))));
        }
        return out;
      }
    }
  }

  public List<Refusals> refusals(Connection c, Filter f) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT grant_id, code, SUM(refused) FROM usage_refusals"
                + " WHERE minute_start >= ? AND minute_start < ?");
    List<String> args = where(sql, f);
    sql.append(" GROUP BY grant_id, code ORDER BY grant_id, code");
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      ps.setLong(1, f.fromMillis());
      ps.setLong(2, f.toMillis());
      for (int i = 0; i < args.size(); i++) {
        ps.setString(i + 3, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<Refusals> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new Refusals(rs.getString(1), rs.getString(2), rs.getLong(3)));
        }
        return out;
      }
    }
  }

  private static List<String> where(StringBuilder sql, Filter f) {
    List<String> args = new ArrayList<>();
    if (f.appId() != null) {
      sql.append(" AND app_id = ?");
      args.add(f.appId());
    }
    if (f.secretId() != null) {
      sql.append(" AND secret_id = ?");
      args.add(f.secretId());
    }
    if (f.grantId() != null) {
      sql.append(" AND grant_id = ?");
      args.add(f.grantId());
    }
    return args;
  }

  /** Drops aggregates of minutes before {@code cutoff}; returns how many rows went. */
  public int deleteBefore(Connection c, long cutoff) throws SQLException {
    int n = 0;
    for (String table : List.of("usage_minutes", "usage_refusals")) {
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM " + table + " WHERE minute_start < ?")) {
        ps.setLong(1, cutoff);
        n += ps.executeUpdate();
      }
    }
    return n;
  }

  /** The secret's rejection row, locked for the caller's transaction. */
  public Optional<Rejection> rejectionForUpdate(Connection c, String secretId) throws SQLException {
    return rejections(
            c,
            "SELECT " + REJECTION + " FROM provider_rejections WHERE secret_id = ? FOR UPDATE",
            secretId)
        .stream()
        .findFirst();
  }

  public List<Rejection> openRejections(Connection c, String appId, String secretId)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT " + REJECTION + " FROM provider_rejections WHERE cleared_at IS NULL");
    List<String> args = new ArrayList<>();
    if (appId != null) {
      sql.append(" AND app_id = ?");
      args.add(appId);
    }
    if (secretId != null) {
      sql.append(" AND secret_id = ?");
      args.add(secretId);
    }
    sql.append(" ORDER BY secret_id");
    return rejections(c, sql.toString(), args.toArray(String[]::new));
  }

  private static final String REJECTION =
      "secret_id, app_id, first_seen, last_seen, rejections, flagged_version, last_event_at,"
          + " cleared_at";

  private static List<Rejection> rejections(Connection c, String sql, String... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<Rejection> out = new ArrayList<>();
        while (rs.next()) {
          long cleared = rs.getLong(8);
          Long clearedAt = rs.wasNull() ? null : cleared;
          out.add(
              new Rejection(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getLong(3),
                  rs.getLong(4),
                  rs.getLong(5),
                  rs.getLong(6),
                  rs.getLong(7),
                  clearedAt));
        }
        return out;
      }
    }
  }

  /** Inserts or replaces the secret's rejection row. */
  public void saveRejection(Connection c, Rejection r) throws SQLException {
    try (PreparedStatement del =
        c.prepareStatement("DELETE FROM provider_rejections WHERE secret_id = ?")) {
      del.setString(1, r.secretId());
      del.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO provider_rejections ("
                + REJECTION
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, r.secretId());
      ps.setString(2, r.appId());
      ps.setLong(3, r.firstSeen());
      ps.setLong(4, r.lastSeen());
      ps.setLong(5, r.rejections());
      ps.setLong(6, r.flaggedVersion());
      ps.setLong(7, r.lastEventAt());
      if (r.clearedAt() == null) {
        ps.setNull(8, java.sql.Types.BIGINT);
      } else {
        ps.setLong(8, r.clearedAt());
      }
      ps.executeUpdate();
    }
  }
}
