package dev.alter.agent.policy;

import java.util.Arrays;

/**
 * At most {@code limit} requests in any {@code intervalMillis}: a ring of the last {@code limit}
 * request times, allocated once; a request may go when the oldest of them is an interval old. Exact
 * (no burst at a window boundary) and allocation-free per request.
 */
final class RequestLimiter {
  private final long[] times;
  private final long intervalMillis;
  private int next;

  RequestLimiter(int limit, long intervalMillis) {
    this.times = new long[limit];
    Arrays.fill(times, Long.MIN_VALUE / 2);
    this.intervalMillis = intervalMillis;
  }

  synchronized boolean tryAcquire(long nowMillis) {
    if (nowMillis - times[next] < intervalMillis) {
      return false;
    }
    times[next] = nowMillis;
    next = next + 1 == times.length ? 0 : next + 1;
    return true;
  }
}
