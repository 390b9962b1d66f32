package dev.alter.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UsageReporterMinuteTest {
  private static final String GRANT = "grt_0123456789abcdef0123";

  @Test
  void theMinuteTimerMovesTheKeyCountedLastToTheNextMinuteJustAfterItsBoundary() throws Exception {
    long boundary = 1_800_000_060_000L;
    AtomicLong now = new AtomicLong(boundary - 300); // the timer wakes ~300 ms from now
    UsageCounts counts = new UsageCounts(now::get);
    counts.injected(GRANT, GRANT, null);
    new UsageReporter(counts, body -> CompletableFuture.completedFuture(true), 3_600_000);
    now.set(boundary + 5);

    long deadline = System.nanoTime() + 10_000_000_000L;
    while (counts.minuteOfLastKey() != boundary && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }

    assertThat(counts.minuteOfLastKey()).isEqualTo(boundary);
    counts.injected(GRANT, GRANT, null);
    assertThat(counts.drain())
        .extracting(e -> e.minuteMillis, UsageEntry::injected)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(boundary - 60_000, 1L),
            org.assertj.core.groups.Tuple.tuple(boundary, 1L));
  }
}
