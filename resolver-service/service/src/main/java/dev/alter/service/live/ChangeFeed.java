package dev.alter.service.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.alter.contract.ChangeKind;
import dev.alter.contract.ErrorCode;
import dev.alter.service.JsonCodec;
import dev.alter.service.app.ApiException;
import dev.alter.service.app.Caller;
import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.store.AgentConnectionRecord;
import dev.alter.service.store.AgentConnectionRepository;
import dev.alter.service.store.ChangeLogRepository;
import dev.alter.service.store.ChangeRecord;
import dev.alter.service.store.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change feed of this replica: opens subscriptions (catching each up from the sequence it
 * resumes at, or telling it to drop its cache when that is older than the retention), fans every
 * change the {@link ChangeFollower} reads out to the subscriptions of its app, sends heartbeats,
 * and ends subscriptions whose agent stopped sending its own. Connected agents are recorded in the
 * store so every replica (and the operator) sees all of them.
 */
public final class ChangeFeed implements ChangeFollower.Listener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
  private static final String CONNECTION_PREFIX = "con_";
  private static final int CATCH_UP_BATCH = 500;

  /** How often this replica writes its subscriptions' last-seen times to the store. */
  static final long TOUCH_INTERVAL_MILLIS = 5_000;

  /** A connection row nobody refreshed for this long belongs to a replica that is gone. */
  static final long GONE_AFTER_MILLIS = 30_000;

  /** What the agent says about itself when it subscribes. */
  public record Subscribe(Long since, String hostName, Long pid, String agentVersion) {}

  private final Database db;
  private final ChangeLogRepository log;
  private final AgentConnectionRepository connections;
  private final Clock clock;
  private final String replica;
  private final int heartbeatSeconds;
  private final ConcurrentHashMap<String, Subscription> open = new ConcurrentHashMap<>();
  private final ExecutorService fanOut;
  private final ScheduledExecutorService timers;

  public ChangeFeed(
      Database db,
      ChangeLogRepository log,
      AgentConnectionRepository connections,
      Clock clock,
      String replica,
      int heartbeatSeconds) {
    this.db = db;
    this.log = log;
    this.connections = connections;
    this.clock = clock;
    this.replica = replica;
    this.heartbeatSeconds = heartbeatSeconds;
    this.fanOut = Executors.newFixedThreadPool(4, daemon("alter-change-fan-out"));
    this.timers = Executors.newSingleThreadScheduledExecutor(daemon("alter-change-feed-timer"));
  }

  public String replica() {
    return replica;
  }

  public int heartbeatSeconds() {
    return heartbeatSeconds;
  }

  /** Subscriptions open on this replica, by app (for metrics). */
  public Map<String, Integer> openByApp() {
    Map<String, Integer> counts = new ConcurrentHashMap<>();
    for (Subscription s : open.values()) {
      counts.merge(s.appId(), 1, Integer::sum);
    }
    return counts;
  }

  public int openCount() {
    return open.size();
  }

  void start() {
    db.inTransaction(
        c -> {
          connections.deleteOfReplica(c, replica);
          return null;
        });
    timers.scheduleAtFixedRate(
        this::heartbeat, heartbeatSeconds, heartbeatSeconds, TimeUnit.SECONDS);
    timers.scheduleAtFixedRate(
        this::touchConnections,
        TOUCH_INTERVAL_MILLIS,
        TOUCH_INTERVAL_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Opens a subscription for the app key's app: writes {@code hello}, then every change after
   * {@code since} (or {@code reset} when the log no longer reaches back that far), then live
   * changes as they come.
   */
  public void open(Caller caller, Subscribe r, EventSink sink) {
    validate(r);
    long now = clock.millis();
    AgentConnectionRecord row =
        new AgentConnectionRecord(
            ApiKeys.newId(CONNECTION_PREFIX),
            caller.appId(),
            caller.keyId(),
            r.hostName(),
            r.pid(),
            r.agentVersion(),
            replica,
            now,
            now);
    openValidated(row, r.since(), sink);
  }

  /** Refuses a subscription that does not say who it is (before the stream starts). */
  public static void validate(Subscribe r) {
    if (r.hostName() == null
        || r.hostName().isBlank()
        || r.hostName().length() > 255
        || r.pid() == null
        || r.pid() < 0
        || r.agentVersion() == null
        || r.agentVersion().isBlank()
        || r.agentVersion().length() > 64) {
      throw ApiException.invalid(
          "host_name (1..255 characters), pid (a number) and agent_version (1..64 characters) are required");
    }
  }

  private void openValidated(AgentConnectionRecord row, Long requestedSince, EventSink sink) {
    long[] head = db.inTransaction(c -> new long[] {log.lastSeq(c), firstSeqOr(c, -1)});
    long last = head[0];
    long first = head[1];
    long since = requestedSince == null || requestedSince < 0 ? last : requestedSince;
    // a gap: entries after `since` were pruned (or the log is another store's)
    boolean reset = since > last || (since < last && (first < 0 ? true : since + 1 < first));
    Subscription s = new Subscription(row, sink, reset ? last : since);
    db.inTransaction(
        c -> {
          connections.insert(c, row);
          return null;
        });
    synchronized (s) {
      open.put(s.id(), s);
      s.send(
          "hello",
          json(
              Map.of(
                  "connection_id", s.id(),
                  "replica", replica,
                  "seq", last,
                  "heartbeat_seconds", heartbeatSeconds)));
      if (reset) {
        s.send(
            "reset",
            json(
                Map.of(
                    "seq",
                    last,
                    "reason",
                    since > last
                        ? "the change log is behind the sequence the agent resumed from"
                        : "the change log no longer holds the changes after the agent's sequence")));
      }
      catchUp(s);
    }
    LOG.debug("agent subscribed: {} on {} (app {})", s.id(), replica, s.appId());
    if (s.closed()) {
      end(s);
    }
  }

  private long firstSeqOr(java.sql.Connection c, long fallback) throws java.sql.SQLException {
    Long first = log.firstSeq(c);
    return first == null ? fallback : first;
  }

  private void catchUp(Subscription s) {
    while (!s.closed()) {
      long from = s.lastSent();
      List<ChangeRecord> batch = db.inTransaction(c -> log.readAfter(c, from, CATCH_UP_BATCH));
      if (batch.isEmpty()) {
        return;
      }
      deliver(s, batch);
    }
  }

  /** The agent's heartbeat; false when this replica holds no such connection of its app. */
  public boolean heartbeat(Caller caller, String connectionId) {
    Subscription s = connectionId == null ? null : open.get(connectionId);
    if (s == null || s.closed() || !s.appId().equals(caller.appId())) {
      return false;
    }
    s.seen(clock.millis());
    return true;
  }

  @Override
  public void changed(List<ChangeRecord> changes) {
    for (Subscription s : open.values()) {
      fanOut.execute(
          () -> {
            synchronized (s) {
              deliver(s, changes);
            }
            if (s.closed()) {
              end(s);
            }
          });
    }
  }

  private void deliver(Subscription s, List<ChangeRecord> changes) {
    for (ChangeRecord c : changes) {
      if (s.closed()) {
        return;
      }
      if (concerns(s, c)) {
        s.sendChange(c.seq(), json(event(c)));
      } else {
        s.skipTo(c.seq());
      }
    }
  }

  private static boolean concerns(Subscription s, ChangeRecord c) {
    ChangeKind kind = ChangeKind.ofWireName(c.kind());
    if (kind == null || kind == ChangeKind.ADMIN_KEY_REVOKED) {
      return false;
    }
    return kind.global() || s.appId().equals(c.appId());
  }

  private static Map<String, Object> event(ChangeRecord c) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("seq", c.seq());
    e.put("kind", c.kind());
    if (c.appId() != null) e.put("app_id", c.appId());
    if (c.grantId() != null) e.put("grant_id", c.grantId());
    if (c.secretId() != null) e.put("secret_id", c.secretId());
    if (c.version() != null) e.put("version", c.version());
    if (c.subjectId() != null) e.put("subject_id", c.subjectId());
    e.put("occurred_at", c.occurredAt());
    return e;
  }

  /** Heartbeats out; subscriptions whose agent has not sent one for three intervals end. */
  private void heartbeat() {
    try {
      long silentLimit = 3L * heartbeatSeconds * 1_000_000_000L + 1_000_000_000L;
      for (Subscription s : open.values()) {
        if (s.silentNanos() > silentLimit) {
          LOG.debug("agent {} stopped sending heartbeats; ending its subscription", s.id());
          s.close();
        } else {
          s.send("heartbeat", "{\"seq\":" + s.lastSent() + "}");
        }
        if (s.closed()) {
          end(s);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("change feed heartbeat failed", e);
    }
  }

  private void touchConnections() {
    try {
      List<AgentConnectionRecord> seen = new ArrayList<>();
      for (Subscription s : open.values()) {
        AgentConnectionRecord r = s.connection;
        seen.add(
            new AgentConnectionRecord(
                r.connectionId(),
                r.appId(),
                r.keyId(),
                r.hostName(),
                r.pid(),
                r.agentVersion(),
                r.replica(),
                r.connectedAt(),
                s.lastSeenMillis()));
      }
      long cutoff = clock.millis() - GONE_AFTER_MILLIS;
      db.inTransaction(
          c -> {
            if (!seen.isEmpty()) {
              connections.touch(c, seen);
            }
            connections.deleteUnseenSince(c, cutoff);
            return null;
          });
    } catch (RuntimeException e) {
      LOG.warn("cannot record connected agents ({})", e.toString());
    }
  }

  private void end(Subscription s) {
    if (open.remove(s.id(), s)) {
      try {
        db.inTransaction(
            c -> {
              connections.delete(c, s.id());
              return null;
            });
      } catch (RuntimeException e) {
        // the row ages out (GONE_AFTER_MILLIS)
      }
    }
  }

  /** Ends a subscription whose response the client closed. */
  public void closed(String connectionId) {
    Subscription s = open.get(connectionId);
    if (s != null) {
      s.close();
      end(s);
    }
  }

  /** Connected agents seen recently, across all replicas, of one app or all (null). */
  public ConnectedAgents connected(String appIdOrNull) {
    long cutoff = clock.millis() - GONE_AFTER_MILLIS;
    return ConnectedAgents.of(
        db.inTransaction(c -> connections.listSeenSince(c, appIdOrNull, cutoff)));
  }

  private static String json(Object value) {
    try {
      return JsonCodec.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new ApiException(ErrorCode.INTERNAL_ERROR, "cannot encode a change event");
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    timers.shutdownNow();
    for (Subscription s : open.values()) {
      s.close();
    }
    fanOut.shutdownNow();
  }
}
