package dev.alter.bench;

import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.ResolverServiceProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resolver service on one of its stores: the embedded H2 database in a fresh data directory, or
 * PostgreSQL in a fresh schema of the {@code test} database (created here and dropped on close).
 * The service runs with the JVM's default (tiered C2) compilation — the harness's test setting
 * stops at C1 for fast start-up, which is not what an operator runs.
 */
final class StoreUnderTest implements AutoCloseable {
  static final String POSTGRES_URL =
      System.getProperty("alter.bench.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String POSTGRES_USER = System.getProperty("alter.bench.pg.user", "postgres");

  final String name;
  final ResolverServiceProcess service;
  private final String schema;

  private StoreUnderTest(String name, ResolverServiceProcess service, String schema) {
    this.name = name;
    this.service = service;
    this.schema = schema;
  }

  static StoreUnderTest h2(Path workDir) {
    return new StoreUnderTest(
        "H2 (embedded)",
        ResolverServiceProcess.start(workDir, null, serviceEnvironment("h2")),
        null);
  }

  /**
   * The embedded store with H2's default write delay (500 ms): a commit returns before its data
   * reaches the file, as the service ran before it set {@code WRITE_DELAY=0}. Only for comparing
   * what durability costs; a crash of this service loses acknowledged writes.
   */
  static StoreUnderTest h2DelayedWrite(Path workDir) {
    // ResolverServiceProcess keeps its data in <workDir>/data; the settings are the service's own
    // H2 settings with WRITE_DELAY back at H2's default
    String url =
        "jdbc:h2:file:"
            + workDir.resolve("data").resolve("alter").toAbsolutePath()
            + ";WRITE_DELAY=500;LOCK_TIMEOUT=15000;QUERY_CACHE_SIZE=64";
    return new StoreUnderTest(
        "H2, delayed write (WRITE_DELAY=500)",
        ResolverServiceProcess.start(workDir, url, serviceEnvironment("h2-delayed-write")),
        null);
  }

  /** Throws {@link SQLException} when PostgreSQL is not reachable, so the caller can say so. */
  static StoreUnderTest postgres(Path workDir) throws SQLException {
    String schema = "bench_" + RandomHex.of(6);
    try (Connection connection = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, null);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    Map<String, String> env = serviceEnvironment("postgresql");
    env.put("ALTER_DB_USER", POSTGRES_USER);
    try {
      return new StoreUnderTest(
          "PostgreSQL",
          ResolverServiceProcess.start(workDir, POSTGRES_URL + "?currentSchema=" + schema, env),
          schema);
    } catch (RuntimeException e) {
      dropSchema(schema);
      throw e;
    }
  }

  private static Map<String, String> serviceEnvironment(String store) {
    Map<String, String> env = new LinkedHashMap<>();
    // read after the command line, so it overrides the harness's -XX:TieredStopAtLevel=1
    String options = "-XX:TieredStopAtLevel=4";
    String jfrDirectory = System.getProperty("alter.bench.jfr");
    if (jfrDirectory != null) {
      // profiling run: the recording is written when the service stops
      options +=
          " -XX:StartFlightRecording=settings=profile,filename="
              + Path.of(jfrDirectory).resolve("service-" + store + ".jfr");
    }
    env.put("_JAVA_OPTIONS", options);
    return env;
  }

  @Override
  public void close() {
    service.close();
    if (schema != null) {
      dropSchema(schema);
    }
  }

  private static void dropSchema(String schema) {
    try (Connection connection = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, null);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      System.err.println("could not drop benchmark schema " + schema + ": " + e.getMessage());
    }
  }
}
