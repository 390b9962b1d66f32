package dev.alter.service.portal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed sign-ins: at most {@code perAddress} failures per client address and {@code total}
 * failures from everywhere within a sliding window. Admin keys are 256-bit random, so this is about
 * noise in the audit and load on the store, not about guessing.
 */
final class SignInLimiter {
  private final Clock clock;
  private final Duration window;
  private final int perAddress;
  private final int total;
  private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();
  private final Deque<Long> allFailures = new ArrayDeque<>();

  SignInLimiter(Clock clock, Duration window, int perAddress, int total) {
    this.clock = clock;
    this.window = window;
    this.perAddress = perAddress;
    this.total = total;
  }

  /** Seconds until this address may try again, or 0 when it may now. */
  synchronized long retryAfterSeconds(String address) {
    long now = clock.millis();
    Deque<Long> mine = prune(failures.get(address), now);
    prune(allFailures, now);
    long wait = 0;
    if (mine != null && mine.size() >= perAddress) {
      wait = Math.max(wait, mine.peekFirst() + window.toMillis() - now);
    }
    if (allFailures.size() >= total) {
      wait = Math.max(wait, allFailures.peekFirst() + window.toMillis() - now);
    }
    return wait <= 0 ? 0 : (wait + 999) / 1000;
  }

  synchronized void recordFailure(String address) {
    long now = clock.millis();
    failures.computeIfAbsent(address, a -> new ArrayDeque<>()).addLast(now);
    allFailures.addLast(now);
    failures.values().removeIf(d -> prune(d, now).isEmpty());
  }

  private Deque<Long> prune(Deque<Long> times, long now) {
    if (times != null) {
      while (!times.isEmpty() && times.peekFirst() <= now - window.toMillis()) {
        times.removeFirst();
      }
    }
    return times;
  }
}
