package dev.alter.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, isolated store for one test class: an H2 file database in a new temporary data
 * directory, or a new schema in the PostgreSQL at {@code ALTER_TEST_PG_URL}. PostgreSQL tests are
 * skipped when it is unreachable, unless {@code ALTER_TEST_PG_REQUIRED=true}.
 */
public final class TestStore implements AutoCloseable {
  static final String PG_URL = envOr("ALTER_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String PG_USER = envOr("ALTER_TEST_PG_USER", "postgres");
  static final String PG_PASSWORD = System.getenv("ALTER_TEST_PG_PASSWORD");

  final Backend backend;
  final Path dataDir;
  final String jdbcUrl;
  private final String schema;

  private TestStore(Backend backend, Path dataDir, String jdbcUrl, String schema) {
    this.backend = backend;
    this.dataDir = dataDir;
    this.jdbcUrl = jdbcUrl;
    this.schema = schema;
  }

  public static TestStore create(Backend backend, Class<?> testClass) {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("alter-" + testClass.getSimpleName() + "-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (backend == Backend.H2) {
      return new TestStore(backend, dataDir, null, null);
    }
    String schema =
        ("t_" + testClass.getSimpleName() + "_" + UUID.randomUUID().toString().substring(0, 8))
            .toLowerCase(Locale.ROOT);
    try (Connection c = pgConnection(PG_URL)) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE SCHEMA " + schema);
      }
    } catch (SQLException e) {
      if ("true".equalsIgnoreCase(System.getenv("ALTER_TEST_PG_REQUIRED"))) {
        throw new AssertionError(
            "PostgreSQL is required (ALTER_TEST_PG_REQUIRED=true) but "
                + PG_URL
                + " is unreachable: "
                + e.getMessage(),
            e);
      }
      String why =
          "PostgreSQL runs of "
              + testClass.getSimpleName()
              + " skipped: "
              + PG_URL
              + " is unreachable ("
              + e.getMessage()
              + "); start PostgreSQL or set ALTER_TEST_PG_URL, and ALTER_TEST_PG_REQUIRED=true to make this a failure";
      // Surefire does not count an aborted class invocation as skipped, so say it on the console
      // too.
      System.out.println("[WARNING] " + why);
      Assumptions.abort(why);
    }
    String url = PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return new TestStore(backend, dataDir, url, schema);
  }

  static Connection pgConnection(String url) throws SQLException {
    DriverManager.setLoginTimeout(3);
    return DriverManager.getConnection(url, PG_USER, PG_PASSWORD);
  }

  /** A config builder pointing at this store, on an ephemeral loopback port. */
  public ServiceConfig.Builder config() {
    return ServiceConfig.builder()
        .dataDir(dataDir)
        .jdbcUrl(jdbcUrl)
        .dbUser(jdbcUrl == null ? null : PG_USER)
        .dbPassword(jdbcUrl == null ? null : PG_PASSWORD)
        .port(0)
        .adminKeyFile(dataDir.resolve("admin.key"));
  }

  @Override
  public void close() {
    if (schema != null) {
      try (Connection c = pgConnection(PG_URL);
          Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA " + schema + " CASCADE");
      } catch (SQLException ignored) {
        // best effort: schemas are uniquely named
      }
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temporary directory
    }
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? fallback : v;
  }
}
