package dev.alter.service.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.api.ErrorCode;

/**
 * The connection pool and the one way to touch the store: {@link #inTransaction}, which commits all
 * of the work or none of it and turns JDBC failures into {@link StoreUnavailableException} (or
 * {@link ConstraintViolationException} for constraint violations).
 */
public final class Database implements AutoCloseable {
  /** Settings of the embedded store's URL (see {@link #open}). */
  static final String H2_SETTINGS = "WRITE_DELAY=0;LOCK_TIMEOUT=15000;QUERY_CACHE_SIZE=64";

  private final HikariDataSource dataSource;
  private final String description;

  private Database(HikariDataSource dataSource, String description) {
    this.dataSource = dataSource;
    this.description = description;
  }

  /** Opens the pool and applies the Flyway migrations. */
  public static Database open(String jdbcUrl, String user, String password, Path dataDir) {
    HikariConfig config = new HikariConfig();
    String url = jdbcUrl;
    String description;
    if (url == null) {
      // WRITE_DELAY=0: a commit writes its MVStore chunk to the file before it returns, so every
      // acknowledged write survives a crash of this process; H2's default (500 ms) leaves commits
      // in memory for a background writer, and kill -9 loses them. H2 does not fsync a commit
      // (docs/operations.md, Durability, says what that means on power loss).
      // LOCK_TIMEOUT: concurrent rotations wait for the secret's row lock instead of failing.
      // QUERY_CACHE_SIZE: each pooled session keeps the parsed form of every statement the
      // resolve path and the admin API use, instead of the default 8.
      url = "jdbc:h2:file:" + dataDir.resolve("alter").toAbsolutePath() + ";" + H2_SETTINGS;
      description = "embedded H2 in " + dataDir.toAbsolutePath();
    } else {
      int q = url.indexOf('?');
      description = q < 0 ? url : url.substring(0, q);
    }
    config.setJdbcUrl(url);
    if (url.startsWith("jdbc:postgresql:")) {
      // the audit group commit's batch goes out as multi-row INSERTs
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
    }
    if (user != null) config.setUsername(user);
    if (password != null) config.setPassword(password);
    config.setPoolName("alter-store");
    config.setMaximumPoolSize(10);
    config.setConnectionTimeout(5_000);
    config.setAutoCommit(false);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(config);
    } catch (RuntimeException e) {
      if (jdbcUrl == null && heldByAnotherProcess(e)) {
        throw new StoreUnavailableException(
            "the embedded store ("
                + description
                + ") is in use by another process: the embedded H2 store serves one process;"
                + " stop the other one, give this one its own ALTER_DATA_DIR, or run several"
                + " replicas on PostgreSQL (ALTER_DB_URL)",
            e);
      }
      throw new StoreUnavailableException("cannot open the store (" + description + ")", e);
    }
    try {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw new StoreUnavailableException("cannot migrate the store (" + description + ")", e);
    }
    return new Database(ds, description);
  }

  /** H2 refuses a second process with "database may be already in use" (its error 90020). */
  private static boolean heldByAnotherProcess(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && sql.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
        return true;
      }
    }
    return false;
  }

  public String description() {
    return description;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  public <T> T inTransaction(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException e) {
      String state = e.getSQLState();
      if (state != null && state.startsWith("23")) {
        throw new ConstraintViolationException("constraint violated (SQLSTATE " + state + ")", e);
      }
      throw new StoreUnavailableException("store error (SQLSTATE " + state + ")", e);
    }
  }

  /** True when the store answers a trivial query within the pool's timeout. */
  public boolean isReachable() {
    try {
      return inTransaction(c -> c.isValid(2));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; Hikari evicts it
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
