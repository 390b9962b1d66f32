package dev.alter.service.live;

import dev.alter.contract.ChangeKind;
import dev.alter.service.ChangeFeedConfig;
import dev.alter.service.store.AgentConnectionRepository;
import dev.alter.service.store.ChangeLogRepository;
import dev.alter.service.store.ChangeRecord;
import dev.alter.service.store.Database;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts that let running agents learn of changes, wired for one replica: the {@link ChangeLog}
 * the write services append to, the {@link ChangeFollower} that reads it, on PostgreSQL the {@link
 * PostgresChangeListener} that wakes the follower, and the {@link ChangeFeed} that serves the
 * subscriptions. On the embedded store there is one process, so every append is local.
 */
public final class LiveControlPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveControlPlane.class);

  private final ChangeLog changeLog;
  private final ChangeFollower follower;
  private final ChangeFeed feed;
  private final PostgresChangeListener listener;
  private final ScheduledExecutorService maintenance;
  private final long retentionMillis;

  /** Told when an app or admin key is revoked anywhere (the key memory forgets). */
  public interface KeyRevocations {
    void keysRevoked();
  }

  private LiveControlPlane(
      ChangeLog changeLog,
      ChangeFollower follower,
      ChangeFeed feed,
      PostgresChangeListener listener,
      long retentionMillis) {
    this.changeLog = changeLog;
    this.follower = follower;
    this.feed = feed;
    this.listener = listener;
    this.retentionMillis = retentionMillis;
    this.maintenance =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "alter-change-log-maintenance");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * @param jdbcUrl the PostgreSQL URL (a listening connection is opened to it), or null for the
   *     embedded store
   * @param replica this process's name (connected agents, the listener's application_name)
   */
  public static LiveControlPlane create(
      Database db,
      String jdbcUrl,
      String dbUser,
      String dbPassword,
      ChangeFeedConfig config,
      String replica,
      Clock clock) {
    boolean postgres = jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:");
    ChangeLogRepository repository = new ChangeLogRepository(postgres);
    long retention = config.retentionSeconds() * 1000L;
    ChangeLog changeLog = new ChangeLog(db, repository, clock, retention);
    // another store than PostgreSQL has no notifications: only the embedded one (one process)
    ChangeFollower follower = new ChangeFollower(db, repository, !postgres);
    changeLog.follower(follower);
    ChangeFeed feed =
        new ChangeFeed(
            db,
            repository,
            new AgentConnectionRepository(),
            clock,
            replica,
            config.heartbeatSeconds());
    follower.addListener(feed);
    PostgresChangeListener listener =
        postgres
            ? new PostgresChangeListener(jdbcUrl, dbUser, dbPassword, replica, follower)
            : null;
    return new LiveControlPlane(changeLog, follower, feed, listener, retention);
  }

  public ChangeLog changeLog() {
    return changeLog;
  }

  public ChangeFeed feed() {
    return feed;
  }

  public ChangeFollower follower() {
    return follower;
  }

  /** Key revocations committed through any replica reach {@code keys} as they are read. */
  public void forwardKeyRevocations(KeyRevocations keys) {
    follower.addListener(
        (List<ChangeRecord> changes) -> {
          for (ChangeRecord c : changes) {
            if (ChangeKind.APP_KEY_REVOKED.wireName().equals(c.kind())
                || ChangeKind.ADMIN_KEY_REVOKED.wireName().equals(c.kind())) {
              keys.keysRevoked();
              return;
            }
          }
        });
  }

  /** Identity provider changes committed through any replica reach {@code reload} (by IdP id). */
  public void forwardIdentityProviderChanges(java.util.function.Consumer<String> reload) {
    follower.addListener(
        (List<ChangeRecord> changes) -> {
          for (ChangeRecord c : changes) {
            if (ChangeKind.IDP_CHANGED.wireName().equals(c.kind()) && c.subjectId() != null) {
              reload.accept(c.subjectId());
            }
          }
        });
  }

  public void bindMetrics(MeterRegistry registry) {
    Gauge.builder("alter_agents_connected", feed, ChangeFeed::openCount)
        .description("agent processes subscribed to the change feed on this replica")
        .register(registry);
    Gauge.builder("alter_change_log_last_seq", follower, ChangeFollower::lastSeq)
        .description("the last change log sequence this replica has read")
        .register(registry);
    MultiGauge byApp =
        MultiGauge.builder("alter_agents_connected_by_app")
            .description("agent processes subscribed on this replica, per app")
            .register(registry);
    maintenance.scheduleAtFixedRate(
        () ->
            byApp.register(
                feed.openByApp().entrySet().stream()
                    .map(e -> MultiGauge.Row.of(Tags.of("app", e.getKey()), e.getValue()))
                    .collect(Collectors.toList()),
                true),
        0,
        5,
        TimeUnit.SECONDS);
  }

  public void start() {
    follower.start();
    if (listener != null) {
      listener.start();
    }
    feed.start();
    maintenance.scheduleWithFixedDelay(
        () -> quietly("announce expired grants", changeLog::announceExpiredGrants),
        1,
        1,
        TimeUnit.SECONDS);
    long pruneEvery = Math.max(1_000, Math.min(60_000, retentionMillis / 2));
    maintenance.scheduleWithFixedDelay(
        () -> quietly("prune the change log", changeLog::prune),
        pruneEvery,
        pruneEvery,
        TimeUnit.MILLISECONDS);
  }

  private static void quietly(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.warn("cannot {} ({})", what, e.toString());
    }
  }

  @Override
  public void close() {
    maintenance.shutdownNow();
    feed.close();
    if (listener != null) {
      listener.close();
    }
    follower.close();
  }
}
