package dev.alter.agent.policy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reports the refusals counted in {@link PolicyRefusals} to the service every interval (one small
 * request, one audit row per grant and rule), on a daemon thread that starts with the first
 * refusal's report; counts a report could not deliver are put back for the next one.
 */
public final class RefusalReporter {
  private final PolicyRefusals refusals;
  private final Function<List<PolicyRefusals.Drained>, CompletableFuture<Boolean>> send;
  private final ScheduledExecutorService timer;

  public RefusalReporter(
      PolicyRefusals refusals,
      Function<List<PolicyRefusals.Drained>, CompletableFuture<Boolean>> send,
      long intervalMillis) {
    this.refusals = refusals;
    this.send = send;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "alter-agent-policy-report");
              t.setDaemon(true);
              t.setPriority(Thread.MIN_PRIORITY);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::report, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /** Sends what is counted now; returns once the service answered (or failed to). */
  public void report() {
    List<PolicyRefusals.Drained> drained = refusals.drain();
    if (drained.isEmpty()) {
      return;
    }
    boolean delivered;
    try {
      delivered = send.apply(drained).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      delivered = false;
    }
    if (!delivered) {
      refusals.restore(drained);
    }
  }
}
