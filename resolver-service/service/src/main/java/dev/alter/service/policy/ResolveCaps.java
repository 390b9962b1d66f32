package dev.alter.service.policy;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The resolves-per-minute cap of grant policies: at most N resolves of a grant in any 60 seconds,
 * counted by this service process (each replica counts its own; API.md says so).
 */
public final class ResolveCaps {
  private static final long MINUTE_MILLIS = 60_000;

  private final ConcurrentHashMap<String, SlidingWindow> byGrant = new ConcurrentHashMap<>();

  /** Counts one resolve of {@code grantId} at {@code nowMillis}; false when the cap is reached. */
  public boolean tryAcquire(String grantId, int perMinute, long nowMillis) {
    SlidingWindow window = byGrant.get(grantId);
    if (window == null || window.limit() != perMinute) {
      // a new grant, or its cap changed: count afresh
      window = new SlidingWindow(perMinute, MINUTE_MILLIS);
      byGrant.put(grantId, window);
    }
    return window.tryAcquire(nowMillis);
  }
}
