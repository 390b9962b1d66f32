package dev.alter.service.policy;

/**
 * At most {@code limit} events in any {@code intervalMillis}: a ring of the last {@code limit}
 * event times; an event is allowed when the oldest of them is an interval old.
 */
final class SlidingWindow {
  private final long[] times;
  private final long intervalMillis;
  private int next;

  SlidingWindow(int limit, long intervalMillis) {
    this.times = new long[limit];
    java.util.Arrays.fill(times, Long.MIN_VALUE / 2);
    this.intervalMillis = intervalMillis;
  }

  int limit() {
    return times.length;
  }

  synchronized boolean tryAcquire(long nowMillis) {
    if (nowMillis - times[next] < intervalMillis) {
      return false;
    }
    times[next] = nowMillis;
    next = (next + 1) % times.length;
    return true;
  }
}
