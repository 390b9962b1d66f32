package dev.alter.service.app;

import dev.alter.contract.ErrorCode;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses a signed request outside the time window (its timestamp more than {@code window} seconds
 * from this service's clock, either way) and a nonce already used by the same key within it. Nonces
 * are remembered in memory until their timestamp leaves the window, so a remembered nonce is never
 * needed again once forgotten. The memory is bounded: when it is full of nonces still inside the
 * window, further signed requests are refused (fail closed) until some expire.
 *
 * <p>Each service process remembers its own nonces. A request replayed to another process on the
 * same store within the window passes this check; its answer is sealed to the X25519 key of the
 * process that signed it, so the replayer cannot open it.
 */
public final class ReplayGuard {
  static final int MAX_REMEMBERED = 500_000;

  /** Above this many, expired nonces are swept out (at most once a second). */
  private static final int SWEEP_ABOVE = 10_000;

  private final long windowSeconds;
  private final Clock clock;
  private final int maxRemembered;
  private final ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep = new AtomicLong();

  public ReplayGuard(long windowSeconds, Clock clock) {
    this(windowSeconds, clock, MAX_REMEMBERED);
  }

  ReplayGuard(long windowSeconds, Clock clock, int maxRemembered) {
    this.windowSeconds = windowSeconds;
    this.clock = clock;
    this.maxRemembered = maxRemembered;
  }

  /** Refuses a timestamp outside the window; checked before any signature work. */
  void requireFresh(long timestamp) {
    long now = clock.millis() / 1000;
    if (Math.abs(now - timestamp) > windowSeconds) {
      throw new ApiException(
          ErrorCode.SIGNATURE_REJECTED,
          "the signature's timestamp is more than "
              + windowSeconds
              + " s from the service's clock ("
              + (timestamp < now ? "stale or replayed" : "in the future")
              + "); check the clocks of the agent's host and the service");
    }
  }

  /** Records the nonce of a verified request; refuses one this key already used in the window. */
  void requireFirstUse(String keyId, String nonce, long timestamp) {
    long now = clock.millis() / 1000;
    long previous = lastSweep.get();
    if (seen.size() > SWEEP_ABOVE && now > previous && lastSweep.compareAndSet(previous, now)) {
      seen.values().removeIf(expiry -> expiry < now);
    }
    if (seen.size() >= maxRemembered) {
      seen.values().removeIf(expiry -> expiry < now);
      if (seen.size() >= maxRemembered) {
        throw new ApiException(
            ErrorCode.SIGNATURE_REJECTED,
            "too many signed requests inside the replay window; retry in a few seconds");
      }
    }
    if (seen.putIfAbsent(keyId + ':' + nonce, timestamp + windowSeconds) != null) {
      throw new ApiException(
          ErrorCode.SIGNATURE_REJECTED,
          "the signature's nonce was already used: a replayed request");
    }
  }
}
