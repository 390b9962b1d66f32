package dev.alter.service.live;

import dev.alter.service.store.ChangeLogRepository;
import dev.alter.service.store.ChangeRecord;
import dev.alter.service.store.Database;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the change log in sequence order on one thread and hands every new entry to the listeners
 * (the subscriptions of this replica, the key memory). It reads when woken (a local append, a
 * PostgreSQL notification, a listener reconnect) and otherwise every few seconds: the log is the
 * truth, a wake-up only says "read now", so a lost notification delays nothing by more than the
 * fallback poll.
 */
public final class ChangeFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFollower.class);
  private static final int BATCH = 500;

  /** Reads this often without a wake-up while notifications are known to arrive. */
  private static final long QUIET_POLL_MILLIS = 5_000;

  /** ...and this often while they may not (the listening connection is down). */
  private static final long UNSURE_POLL_MILLIS = 200;

  /** How long a local append may take to commit before the follower stops looking for it. */
  private static final long EXPECT_MILLIS = 3_000;

  /** Receives new entries in sequence order, on the follower's thread. */
  public interface Listener {
    void changed(List<ChangeRecord> changes);
  }

  private final Database db;
  private final ChangeLogRepository repository;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Object wakeUp = new Object();
  private final AtomicLong expected = new AtomicLong();
  private final Thread thread;
  private volatile long lastSeq;
  private volatile long expectedSince;
  private volatile boolean notificationsArrive;
  private volatile boolean running = true;
  private boolean woken;

  /**
   * @param notificationsArrive whether every commit wakes this follower without a listener (one
   *     process on the embedded store: all appends are local)
   */
  public ChangeFollower(Database db, ChangeLogRepository repository, boolean notificationsArrive) {
    this.db = db;
    this.repository = repository;
    this.notificationsArrive = notificationsArrive;
    this.lastSeq = db.inTransaction(repository::lastSeq);
    this.thread = new Thread(this::run, "alter-change-follower");
    thread.setDaemon(true);
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  public void start() {
    thread.start();
  }

  /** The last sequence this replica has read and delivered. */
  public long lastSeq() {
    return lastSeq;
  }

  /**
   * Whether changes committed anywhere reach this replica promptly (the listening connection is up,
   * or there is only this process).
   */
  public boolean current() {
    return notificationsArrive;
  }

  /** Called by the PostgreSQL listener as its connection comes up or goes down. */
  void notificationsArrive(boolean arrive) {
    this.notificationsArrive = arrive;
    wake();
  }

  /** Read now. */
  public void wake() {
    synchronized (wakeUp) {
      woken = true;
      wakeUp.notifyAll();
    }
  }

  /** A local transaction appended {@code seq}: read until it is visible (or rolled back). */
  void expect(long seq) {
    expected.accumulateAndGet(seq, Math::max);
    expectedSince = System.nanoTime();
    wake();
  }

  private void run() {
    while (running) {
      try {
        awaitWakeUp();
        readNew();
        while (running
            && lastSeq < expected.get()
            && System.nanoTime() - expectedSince < EXPECT_MILLIS * 1_000_000) {
          // the appending transaction has not committed yet
          Thread.sleep(2);
          readNew();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("cannot read the change log ({}); retrying", e.toString());
        try {
          Thread.sleep(500);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  private void awaitWakeUp() throws InterruptedException {
    synchronized (wakeUp) {
      if (!woken) {
        wakeUp.wait(notificationsArrive ? QUIET_POLL_MILLIS : UNSURE_POLL_MILLIS);
      }
      woken = false;
    }
  }

  private void readNew() {
    while (true) {
      long from = lastSeq;
      List<ChangeRecord> batch = db.inTransaction(c -> repository.readAfter(c, from, BATCH));
      if (batch.isEmpty()) {
        return;
      }
      for (Listener l : listeners) {
        try {
          l.changed(batch);
        } catch (RuntimeException e) {
          LOG.error("a change listener failed", e);
        }
      }
      lastSeq = batch.get(batch.size() - 1).seq();
      if (batch.size() < BATCH) {
        return;
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
