package dev.alter.agent.usage;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Sends {@link UsageCounts} to the service every interval and once more when the JVM shuts down, on
 * a daemon thread of its own: no request ever waits for a report. A batch the service does not take
 * is dropped, so a lost batch loses counts (never requests) and a retried one is never counted
 * twice.
 */
public final class UsageReporter {
  /** How long the shutdown report may hold up the JVM's exit. */
  static final long SHUTDOWN_REPORT_MILLIS = 3_000;

  private final UsageCounts counts;
  private final Function<byte[], CompletableFuture<Boolean>> send;
  private final ScheduledExecutorService timer;

  /**
   * Starts each minute's counting ({@link UsageCounts#startMinute}) just after its boundary; apart
   * from the report timer, whose thread may wait for the service.
   */
  private final ScheduledExecutorService minuteTimer;

  public UsageReporter(
      UsageCounts counts, Function<byte[], CompletableFuture<Boolean>> send, long intervalMillis) {
    this.counts = counts;
    this.send = send;
    this.timer = daemonTimer("alter-agent-usage-report");
    this.minuteTimer = daemonTimer("alter-agent-usage-minute");
    startMinutes();
    timer.scheduleWithFixedDelay(
        () -> report(30_000), intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(this::reportAtShutdown, "alter-agent-usage-final-report"));
  }

  private static ScheduledExecutorService daemonTimer(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          t.setPriority(Thread.MIN_PRIORITY);
          return t;
        });
  }

  /**
   * Moves counting to the current minute and runs again just after the next boundary (or, when the
   * timer woke a little before one by the wall clock, just after that one).
   */
  private void startMinutes() {
    try {
      counts.startMinute();
    } finally {
      if (!minuteTimer.isShutdown()) {
        minuteTimer.schedule(
            this::startMinutes, counts.millisToNextMinute() + 1, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Sends what is counted now; returns whether the service took it (true when nothing to send). */
  public boolean report(long waitMillis) {
    List<UsageEntry> drained;
    synchronized (this) {
      drained = counts.drain();
    }
    if (drained.isEmpty()) {
      return true;
    }
    try {
      return send.apply(UsageEntry.reportJson(UUID.randomUUID().toString(), drained))
          .get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return false;
    }
  }

  private void reportAtShutdown() {
    minuteTimer.shutdown();
    timer.shutdown();
    try {
      timer.awaitTermination(SHUTDOWN_REPORT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    report(SHUTDOWN_REPORT_MILLIS);
  }
}
