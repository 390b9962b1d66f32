package dev.alter.agent.resolver;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Which resolver replica to ask next. The configured URLs are tried in their order, skipping a
 * replica that failed recently: a failure puts it in back-off (short at first, doubling on each
 * further failure up to a cap) and a success takes it out again. When every replica is in back-off
 * the one whose back-off ends first is still offered, so the agent never stops asking altogether.
 *
 * <p>Shared by everything that talks to the service (resolves, the change subscription), so a
 * replica one of them found dead is avoided by the others too. Thread-safe.
 */
public final class ResolverEndpoints {
  public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

  private final List<URI> urls;
  private final Clock clock;
  private final long firstBackoffMillis;
  private final long maxBackoffMillis;

  /** Per URL, same index: epoch millis until which it is avoided, and its consecutive failures. */
  private final long[] avoidUntil;

  private final int[] failures;

  public ResolverEndpoints(List<URI> urls) {
    this(urls, Clock.systemUTC(), DEFAULT_FIRST_BACKOFF, DEFAULT_MAX_BACKOFF);
  }

  public ResolverEndpoints(
      List<URI> urls, Clock clock, Duration firstBackoff, Duration maxBackoff) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no resolver URL");
    }
    this.urls = Collections.unmodifiableList(new ArrayList<>(urls));
    this.clock = clock;
    this.firstBackoffMillis = firstBackoff.toMillis();
    this.maxBackoffMillis = maxBackoff.toMillis();
    this.avoidUntil = new long[urls.size()];
    this.failures = new int[urls.size()];
  }

  /** The configured base URLs, in order. */
  public List<URI> urls() {
    return urls;
  }

  /**
   * The replica to ask next: the first, in configured order, that is not in back-off and not in
   * {@code tried}; if all untried ones are in back-off, the untried one whose back-off ends first;
   * null when every URL has been tried.
   */
  public synchronized URI next(Collection<URI> tried) {
    long now = clock.millis();
    int soonest = -1;
    for (int i = 0; i < urls.size(); i++) {
      if (tried.contains(urls.get(i))) {
        continue;
      }
      if (avoidUntil[i] <= now) {
        return urls.get(i);
      }
      if (soonest < 0 || avoidUntil[i] < avoidUntil[soonest]) {
        soonest = i;
      }
    }
    return soonest < 0 ? null : urls.get(soonest);
  }

  /** The replica to ask when nothing has been tried yet. */
  public URI next() {
    return next(Collections.emptySet());
  }

  /** The replica answered (any answer from the service itself, including a refusal). */
  public synchronized void reportSuccess(URI url) {
    int i = urls.indexOf(url);
    if (i >= 0) {
      failures[i] = 0;
      avoidUntil[i] = 0;
    }
  }

  /**
   * The replica could not be reached, timed out or answered 5xx: avoid it for a while, longer after
   * each further failure in a row.
   */
  public synchronized void reportFailure(URI url) {
    int i = urls.indexOf(url);
    if (i < 0) {
      return;
    }
    failures[i] = Math.min(failures[i] + 1, 20);
    long backoff = firstBackoffMillis << Math.min(failures[i] - 1, 16);
    avoidUntil[i] = clock.millis() + Math.min(backoff, maxBackoffMillis);
  }

  /** Whether the replica is in back-off now (for diagnostics and tests). */
  public synchronized boolean avoided(URI url) {
    int i = urls.indexOf(url);
    return i >= 0 && avoidUntil[i] > clock.millis();
  }

  /** How many replicas are configured. */
  public int size() {
    return urls.size();
  }

  @Override
  public String toString() {
    return urls.size() == 1 ? urls.get(0).toString() : urls.toString();
  }
}
