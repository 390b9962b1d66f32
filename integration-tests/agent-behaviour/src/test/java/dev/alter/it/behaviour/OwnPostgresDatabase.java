package dev.alter.it.behaviour;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL database of the test's own (random name) on the server of {@code ALTER_TEST_PG_URL}
 * (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}), dropped on close.
 * The test is skipped with the reason when no PostgreSQL answers, unless {@code
 * ALTER_TEST_PG_REQUIRED=true}.
 */
final class OwnPostgresDatabase implements AutoCloseable {
  private final String serverUrl;
  private final String name;

  private OwnPostgresDatabase(String serverUrl, String name) {
    this.serverUrl = serverUrl;
    this.name = name;
  }

  static OwnPostgresDatabase create(String prefix) {
    String url =
        System.getenv().getOrDefault("ALTER_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    requireServer();
    String name = prefix + "_" + Long.toHexString(System.nanoTime());
    execute(url, "CREATE DATABASE " + name);
    return new OwnPostgresDatabase(url, name);
  }

  /** The JDBC URL of this database, user included (what {@code ALTER_DB_URL} is set to). */
  String jdbcUrl() {
    int query = serverUrl.indexOf('?');
    String base = query < 0 ? serverUrl : serverUrl.substring(0, query);
    String params = query < 0 ? "" : serverUrl.substring(query + 1) + "&";
    return base.substring(0, base.lastIndexOf('/') + 1) + name + "?" + params + "user=postgres";
  }

  String name() {
    return name;
  }

  @Override
  public void close() {
    execute(serverUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static void execute(String url, String sql) {
    try (Connection db = DriverManager.getConnection(url, "postgres", null);
        Statement statement = db.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL refused: " + sql, e);
    }
  }

  private static void requireServer() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 5432), 1_000);
    } catch (IOException e) {
      String reason = "PostgreSQL does not answer on 127.0.0.1:5432";
      if ("true".equalsIgnoreCase(System.getenv("ALTER_TEST_PG_REQUIRED"))) {
        throw new IllegalStateException(reason + " (ALTER_TEST_PG_REQUIRED=true)", e);
      }
      Assumptions.abort(reason);
    }
  }
}
