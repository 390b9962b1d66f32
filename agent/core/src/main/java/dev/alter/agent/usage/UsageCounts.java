package dev.alter.agent.usage;

import dev.alter.agent.bootstrap.ResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * This JVM's usage per minute, grant and identity digest since the last report: requests injected,
 * refused by code, and the provider's responses to injected requests by status class, with 401, 403
 * and 429 apart. Counting is an atomic add on the request's own thread, into the tally of the key
 * counted last, which moves to each new minute just after its boundary ({@link #startMinute}); any
 * other key is looked up by the clock's minute. {@link #drain} takes each counter with {@code
 * getAndSet(0)}, so a count made while a report is built lands in this report or the next, never in
 * neither.
 */
public final class UsageCounts {
  /** Keys held between reports; beyond this, new keys are not counted (requests still go). */
  static final int MAX_KEYS = 10_000;

  private static final Pattern GRANT_ID = Pattern.compile("grt_[A-Za-z0-9_-]{1,36}");
  private static final Pattern CODE = Pattern.compile("[a-z_]{1,40}");
  private static final long MINUTE = 60_000;

  private final ConcurrentHashMap<Key, Tally> tallies = new ConcurrentHashMap<>();

  /** {@code @provider} aliases and the grant ids they resolved to, for refusals named by alias. */
  private final ConcurrentHashMap<String, String> aliases = new ConcurrentHashMap<>();

  private final LongSupplier clock;

  /**
   * The key counted last, with its minute's tally ({@link #current}). Requests compare only grant
   * and identity with it; {@link #startMinute} moves it on to the next minute.
   */
  private final AtomicReference<Current> last = new AtomicReference<>();

  public UsageCounts(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * One request injected for {@code grantId} ({@code grt_…}) as named by {@code asked} (the id or
   * an alias); the returned observer counts its response.
   *
   * @param identityDigest the digest of the end user's identity, or null
   */
  public ResponseObserver injected(String asked, String grantId, String identityDigest) {
    if (asked != null && asked.startsWith("@") && grantId != null) {
      aliases.put(asked, grantId);
    }
    Current current = current(grantId, identityDigest);
    if (current == null) {
      return null;
    }
    current.tally.injected.incrementAndGet();
    return current.observer;
  }

  /**
   * One request refused with {@code code} before it was sent. A grant the service does not know
   * ({@code grant_not_found}) is not counted: the service could attribute it to no app.
   */
  public void refused(String asked, String identityDigest, String code) {
    if (asked == null || code == null || !CODE.matcher(code).matches()) {
      return;
    }
    if (code.equals("grant_not_found")) {
      return;
    }
    String grantId = asked.startsWith("@") ? aliases.get(asked) : asked;
    Tally tally = tally(grantId, identityDigest);
    if (tally != null) {
      tally.refused.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
    }
  }

  void responded(String grantId, String identityDigest, int status) {
    Tally tally = tally(grantId, identityDigest);
    if (tally == null || status < 100 || status > 599) {
      return;
    }
    tally.classes[status / 100 - 1].incrementAndGet();
    if (status == 401) {
      tally.s401.incrementAndGet();
    } else if (status == 403) {
      tally.s403.incrementAndGet();
    } else if (status == 429) {
      tally.s429.incrementAndGet();
    }
  }

  /**
   * Everything counted since the last drain, as report entries. A minute's counter that stayed
   * empty for two drains is dropped (a thread that looked it up just before the minute turned has
   * long finished with it).
   */
  public List<UsageEntry> drain() {
    startMinute();
    long currentMinute = clock.getAsLong() / MINUTE * MINUTE;
    List<UsageEntry> out = new ArrayList<>();
    for (Map.Entry<Key, Tally> e : tallies.entrySet()) {
      UsageEntry entry = e.getValue().take(e.getKey());
      if (entry != null) {
        out.add(entry);
      } else if (e.getKey().minute < currentMinute && e.getValue().idleDrains++ >= 1) {
        tallies.remove(e.getKey(), e.getValue());
        Current kept = last.get();
        if (kept != null && kept.tally == e.getValue()) {
          // a clock set back would otherwise count into a tally no report reads any more
          last.compareAndSet(kept, null);
        }
      }
    }
    return out;
  }

  private Tally tally(String grantId, String identityDigest) {
    Current current = current(grantId, identityDigest);
    return current == null ? null : current.tally;
  }

  /**
   * The tally of the key for the current minute, with the observer its injected requests carry;
   * null when the key is not counted. The last one found is kept: a JVM mostly counts one grant and
   * identity, and building a key and looking it up twice per request showed in the tagged path's
   * profile.
   *
   * <p>The kept one is not checked against the clock here: this runs inlined into the HTTP client's
   * hooked method, and a minute check that turned false for the first time at a minute boundary
   * made the JIT throw away and recompile that whole method. {@link #startMinute} replaces it at
   * each boundary instead.
   */
  private Current current(String grantId, String identityDigest) {
    if (grantId == null) {
      return null;
    }
    String digest = identityDigest == null ? "" : identityDigest;
    Current kept = last.get();
    if (kept != null && kept.counts(grantId, digest)) {
      return kept;
    }
    Current found = find(clock.getAsLong() / MINUTE * MINUTE, grantId, digest);
    if (found != null) {
      // not over a newer one set meanwhile (by startMinute, or a request of another key)
      last.compareAndSet(kept, found);
    }
    return found;
  }

  /**
   * Moves the key counted last to the clock's minute (the next one, or an earlier one after the
   * clock was set back), so its requests count there from now on. Called just after each minute
   * boundary ({@link UsageReporter}) and before each drain.
   */
  public void startMinute() {
    long minute = clock.getAsLong() / MINUTE * MINUTE;
    Current kept = last.get();
    while (kept != null && kept.key.minute != minute) {
      Current next = find(minute, kept.key.grantId, kept.key.identityDigest);
      if (last.compareAndSet(kept, next)) {
        return; // null when the key cap is reached: this minute is not counted, as for a new key
      }
      kept = last.get();
    }
  }

  /** The minute the key counted last counts into, or -1 when there is none. */
  long minuteOfLastKey() {
    Current kept = last.get();
    return kept == null ? -1 : kept.key.minute;
  }

  /** Milliseconds from now to the clock's next minute boundary (1 to 60,000). */
  long millisToNextMinute() {
    return MINUTE - Math.floorMod(clock.getAsLong(), MINUTE);
  }

  private Current find(long minute, String grantId, String digest) {
    Key key = new Key(minute, grantId, digest);
    Tally tally = tallies.get(key);
    if (tally == null) {
      // checked once per key: not a grant the service could attribute (a typo, an unresolved alias)
      if (tallies.size() >= MAX_KEYS || !GRANT_ID.matcher(grantId).matches()) {
        return null;
      }
      tally = tallies.computeIfAbsent(key, k -> new Tally());
    }
    return new Current(key, tally, new Response(this, grantId, digest));
  }

  /** A key's tally and the observer of its injected requests (both immutable for the minute). */
  private static final class Current {
    final Key key;
    final Tally tally;
    final ResponseObserver observer;

    Current(Key key, Tally tally, ResponseObserver observer) {
      this.key = key;
      this.tally = tally;
      this.observer = observer;
    }

    boolean counts(String grantId, String identityDigest) {
      return key.grantId.equals(grantId) && key.identityDigest.equals(identityDigest);
    }
  }

  /** The observer an injected request carries to its response. */
  private static final class Response implements ResponseObserver {
    private final UsageCounts counts;
    private final String grantId;
    private final String identityDigest;

    Response(UsageCounts counts, String grantId, String identityDigest) {
      this.counts = counts;
      this.grantId = grantId;
      this.identityDigest = identityDigest;
    }

    @Override
    public void responded(int status) {
      counts.responded(grantId, identityDigest, status);
    }
  }

  private static final class Key {
    final long minute;
    final String grantId;
    final String identityDigest;

    Key(long minute, String grantId, String identityDigest) {
      this.minute = minute;
      this.grantId = grantId;
      this.identityDigest = identityDigest;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Key)) {
        return false;
      }
      Key k = (Key) o;
      return is(k.minute, k.grantId, k.identityDigest);
    }

    boolean is(long otherMinute, String otherGrantId, String otherIdentityDigest) {
      return minute == otherMinute
          && grantId.equals(otherGrantId)
          && identityDigest.equals(otherIdentityDigest);
    }

    @Override
    public int hashCode() {
      return (Long.hashCode(minute) * 31 + grantId.hashCode()) * 31 + identityDigest.hashCode();
    }
  }

  private static final class Tally {
    final AtomicLong injected = new AtomicLong();
    final ConcurrentHashMap<String, AtomicLong> refused = new ConcurrentHashMap<>();
    final AtomicLong[] classes = {
      new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()
    };
    final AtomicLong s401 = new AtomicLong();
    final AtomicLong s403 = new AtomicLong();
    final AtomicLong s429 = new AtomicLong();

    /** Touched only by the reporting thread. */
    int idleDrains;

    UsageEntry take(Key key) {
      long injectedNow = injected.getAndSet(0);
      java.util.TreeMap<String, Long> refusedNow = new java.util.TreeMap<>();
      for (Map.Entry<String, AtomicLong> r : refused.entrySet()) {
        long n = r.getValue().getAndSet(0);
        if (n > 0) {
          refusedNow.put(r.getKey(), n);
        }
      }
      long[] classesNow = new long[5];
      long any = injectedNow + refusedNow.size();
      for (int i = 0; i < 5; i++) {
        classesNow[i] = classes[i].getAndSet(0);
        any += classesNow[i];
      }
      long n401 = s401.getAndSet(0);
      long n403 = s403.getAndSet(0);
      long n429 = s429.getAndSet(0);
      if (any == 0) {
        return null;
      }
      idleDrains = 0;
      return new UsageEntry(
          key.grantId,
          key.identityDigest.isEmpty() ? null : key.identityDigest,
          key.minute,
          injectedNow,
          refusedNow,
          classesNow,
          n401,
          n403,
          n429);
    }
  }
}
