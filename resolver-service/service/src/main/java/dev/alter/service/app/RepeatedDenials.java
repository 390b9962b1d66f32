package dev.alter.service.app;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which audit row a denied resolve is counted on. The first denial of its kind (same app, grant,
 * principal, destination host and reason) gets a row of its own at once and opens a window; an
 * identical denial inside the window raises that row's count instead of adding a row. Each replica
 * keeps its own windows, so N replicas write at most N rows per window for one kind of denial.
 */
final class RepeatedDenials {
  static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

  /** Bounded: a flood of distinct denials starts new rows rather than growing memory. */
  private static final int MAX_WINDOWS = 10_000;

  private final long windowMillis;
  private final ConcurrentHashMap<Kind, Window> windows = new ConcurrentHashMap<>();

  RepeatedDenials(Duration window) {
    this.windowMillis = window.toMillis();
  }

  /** What makes two denials identical. */
  record Kind(String appId, String grantId, String principal, String host, String reason) {}

  private record Window(String eventId, long endsAt) {}

  /** The row to count this denial on, or null when it needs a row of its own. */
  String openRowFor(Kind kind, long now) {
    Window w = windows.get(kind);
    if (w == null || now >= w.endsAt()) {
      return null;
    }
    return w.eventId();
  }

  /** The denial's own row was committed: identical denials until the window ends count on it. */
  void opened(Kind kind, String eventId, long now) {
    if (windows.size() >= MAX_WINDOWS) {
      windows.values().removeIf(w -> now >= w.endsAt());
      if (windows.size() >= MAX_WINDOWS) {
        windows.clear();
      }
    }
    windows.put(kind, new Window(eventId, now + windowMillis));
  }

  /** The row could not be counted on (gone): the next denial of this kind starts a new one. */
  void closed(Kind kind, String eventId) {
    windows.computeIfPresent(kind, (k, w) -> Objects.equals(w.eventId(), eventId) ? null : w);
  }
}
