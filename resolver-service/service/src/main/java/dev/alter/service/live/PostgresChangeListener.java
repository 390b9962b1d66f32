package dev.alter.service.live;

import dev.alter.service.store.ChangeLogRepository;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one PostgreSQL connection (outside the pool) that {@code LISTEN}s on the change channel and
 * wakes the {@link ChangeFollower} on every notification. When the connection drops (a restart, a
 * network cut, {@code pg_terminate_backend}) it reconnects and wakes the follower, which then reads
 * on from its last sequence: nothing committed meanwhile is lost, only delayed. Its {@code
 * application_name} is {@code alter-listener:<replica>}, so an operator can find it.
 */
final class PostgresChangeListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeListener.class);
  private static final int POLL_MILLIS = 500;
  private static final long RECONNECT_MILLIS = 250;

  private final String jdbcUrl;
  private final Properties properties = new Properties();
  private final ChangeFollower follower;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Connection connection;

  PostgresChangeListener(
      String jdbcUrl, String user, String password, String replica, ChangeFollower follower) {
    this.jdbcUrl = jdbcUrl;
    if (user != null) properties.setProperty("user", user);
    if (password != null) properties.setProperty("password", password);
    properties.setProperty("ApplicationName", applicationName(replica));
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("tcpKeepAlive", "true");
    this.follower = follower;
    this.thread = new Thread(this::run, "alter-change-listener");
    thread.setDaemon(true);
  }

  static String applicationName(String replica) {
    String name = "alter-listener:" + replica;
    return name.length() > 63 ? name.substring(0, 63) : name;
  }

  void start() {
    thread.start();
  }

  private void run() {
    boolean wasDown = false;
    while (running) {
      try (Connection c = DriverManager.getConnection(jdbcUrl, properties)) {
        connection = c;
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + ChangeLogRepository.CHANNEL);
        }
        if (wasDown) {
          LOG.info("change notifications restored; reading on from the last sequence");
        }
        wasDown = false;
        // up: anything committed while it was down is read now
        follower.notificationsArrive(true);
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notes = pg.getNotifications(POLL_MILLIS);
          if (notes != null && notes.length > 0) {
            follower.wake();
          } else if (!c.isValid(2)) {
            throw new SQLException("listening connection no longer valid", "08006");
          }
        }
      } catch (SQLException | RuntimeException e) {
        follower.notificationsArrive(false);
        if (running) {
          if (!wasDown) {
            LOG.warn(
                "change notifications interrupted ({}); polling the change log until the"
                    + " listening connection is back",
                e.getMessage());
          }
          wasDown = true;
          try {
            Thread.sleep(RECONNECT_MILLIS);
          } catch (InterruptedException stop) {
            return;
          }
        }
      } finally {
        connection = null;
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
  }
}
