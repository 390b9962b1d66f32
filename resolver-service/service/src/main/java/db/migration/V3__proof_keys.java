package db.migration;

import dev.alter.service.crypto.ProofKeys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Replaces the stored SHA-256 of every app key, admin key and agent token with its proof key id and
 * public key ({@link ProofKeys}), then drops the hash: the hash is what the signing key is derived
 * from, so a copy of the database must not hold it.
 *
 * <p>H2 commits each DDL statement, so a crash can leave this half done with Flyway's history still
 * saying V3 is pending. Every step therefore checks what is already there: the rerun adds only
 * missing columns, converts only rows without a proof key and drops the hash column last. On
 * PostgreSQL the whole migration is one transaction.
 */
public class V3__proof_keys extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    convert(c, "api_keys", "key_id", "key_hash");
    convert(c, "agent_tokens", "token_hash", "token_hash");
    try (Statement st = c.createStatement()) {
      if (!hasPrimaryKey(c, "agent_tokens")) {
        st.execute("ALTER TABLE agent_tokens ADD PRIMARY KEY (proof_key_id)");
      }
    }
  }

  /**
   * Adds proof_key_id and public_key to {@code table}, fills them from {@code hashColumn}, drops
   * it.
   */
  private static void convert(Connection c, String table, String rowKey, String hashColumn)
      throws SQLException {
    List<String> columns = columns(c, table);
    if (!columns.contains(hashColumn)) {
      return;
    }
    try (Statement st = c.createStatement()) {
      if (!columns.contains("proof_key_id")) {
        st.execute("ALTER TABLE " + table + " ADD COLUMN proof_key_id VARCHAR(32)");
      }
      if (!columns.contains("public_key")) {
        st.execute("ALTER TABLE " + table + " ADD COLUMN public_key VARCHAR(130)");
      }
    }
    List<String[]> pending = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + rowKey
                    + ", "
                    + hashColumn
                    + " FROM "
                    + table
                    + " WHERE proof_key_id IS NULL OR public_key IS NULL");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        pending.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE " + table + " SET proof_key_id = ?, public_key = ? WHERE " + rowKey + " = ?")) {
      for (String[] row : pending) {
        ProofKeys.Stored stored = ProofKeys.ofKeyHash(HexFormat.of().parseHex(row[1]));
        update.setString(1, stored.keyId());
        update.setString(2, stored.publicKey());
        update.setString(3, row[0]);
        update.addBatch();
      }
      update.executeBatch();
    }
    try (Statement st = c.createStatement()) {
      st.execute("ALTER TABLE " + table + " ALTER COLUMN proof_key_id SET NOT NULL");
      st.execute("ALTER TABLE " + table + " ALTER COLUMN public_key SET NOT NULL");
      st.execute(
          "CREATE UNIQUE INDEX IF NOT EXISTS "
              + table
              + "_proof_key ON "
              + table
              + " (proof_key_id)");
      // drops the hash's own unique constraint or primary key with it (H2 and PostgreSQL)
      st.execute("ALTER TABLE " + table + " DROP COLUMN " + hashColumn);
    }
  }

  /**
   * Lower-case column names, read from the result set (the catalogue's case differs between H2 and
   * PostgreSQL).
   */
  private static List<String> columns(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        names.add(rs.getMetaData().getColumnName(i).toLowerCase(Locale.ROOT));
      }
      return names;
    }
  }

  private static boolean hasPrimaryKey(Connection c, String table) throws SQLException {
    String schema = c.getSchema();
    for (String name : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
      try (ResultSet rs = c.getMetaData().getPrimaryKeys(null, schema, name)) {
        if (rs.next()) {
          return true;
        }
      }
    }
    return false;
  }
}
