package dev.alter.service.app;

import dev.alter.contract.ErrorCode;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps users' key uploads, rotations and deletions per app and per user in fixed one-minute
 * windows, in this process's memory (several service processes each apply the limits). A refused
 * call changes nothing and is answered {@code rate_limited}.
 */
public final class UploadRateLimiter {
  public static final int DEFAULT_PER_USER_PER_MINUTE = 10;
  public static final int DEFAULT_PER_APP_PER_MINUTE = 600;
  private static final long WINDOW_MILLIS = 60_000;

  /** More distinct callers than this in one window and the oldest counts are dropped. */
  private static final int MAX_TRACKED = 100_000;

  private final int perUser;
  private final int perApp;
  private final Clock clock;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  private record Window(long start, int count) {}

  public UploadRateLimiter(int perUserPerMinute, int perAppPerMinute, Clock clock) {
    this.perUser = perUserPerMinute;
    this.perApp = perAppPerMinute;
    this.clock = clock;
  }

  /** Counts one write of the app; refuses it when the app is over its limit. */
  void admitApp(String appId) {
    admit("app\u0000" + appId, perApp, "this app");
  }

  /** Counts one write of the user (as the IdP names them); refuses it when over the limit. */
  void admitUser(String appId, String subject) {
    admit("user\u0000" + appId + "\u0000" + subject, perUser, "this user");
  }

  private void admit(String key, int limit, String who) {
    long now = clock.millis();
    if (windows.size() > MAX_TRACKED) {
      windows.values().removeIf(w -> now - w.start() >= WINDOW_MILLIS);
    }
    Window counted =
        windows.compute(
            key,
            (k, w) ->
                w == null || now - w.start() >= WINDOW_MILLIS
                    ? new Window(now, 1)
                    : new Window(w.start(), w.count() + 1));
    if (counted.count() > limit) {
      throw new ApiException(
          ErrorCode.RATE_LIMITED,
          who
              + " made more than "
              + limit
              + " key uploads, rotations or deletions in a minute; retry after "
              + Math.max(1, (counted.start() + WINDOW_MILLIS - now + 999) / 1000)
              + " s");
    }
  }
}
