package dev.alter.service.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Null-aware column access and column lists shared by the repositories. */
final class Rows {
  private Rows() {}

  static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  /**
   * {@code "a, b"} as {@code "t.a, t.b"}: the same columns, read where a join repeats their names.
   */
  static String qualified(String alias, String columns) {
    return Arrays.stream(columns.split(", "))
        .map(column -> alias + "." + column)
        .collect(Collectors.joining(", "));
  }

  static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }
}
