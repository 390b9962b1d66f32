package dev.alter.identity;

import java.time.Duration;

/**
 * How a remote JWKS is fetched and cached; one policy for the whole service.
 *
 * @param cacheTtl how long a fetched key set is used before it is fetched again
 * @param refreshAhead how long before {@code cacheTtl} ends a request triggers a background refresh
 * @param refreshTimeout how long a request waits for a refresh another thread started
 * @param minRefetchInterval rate limit: at most two fetches per interval (nimbus' rule), so a flood
 *     of tokens with unknown {@code kid}s costs the IdP at most one extra fetch
 * @param outageTolerance how long after the last successful fetch cached keys keep verifying tokens
 *     while the endpoint fails; after that, tokens fail with {@code jwks_unavailable}
 * @param connectTimeout HTTP connect timeout
 * @param readTimeout HTTP read timeout
 * @param sizeLimitBytes largest JWKS document accepted
 * @param scheduledRefresh also refresh in the background on a timer, without waiting for a request
 */
public record JwksFetchPolicy(
    Duration cacheTtl,
    Duration refreshAhead,
    Duration refreshTimeout,
    Duration minRefetchInterval,
    Duration outageTolerance,
    Duration connectTimeout,
    Duration readTimeout,
    int sizeLimitBytes,
    boolean scheduledRefresh) {

  public JwksFetchPolicy {
    positive("cache_ttl", cacheTtl);
    positive("refresh_ahead", refreshAhead);
    positive("refresh_timeout", refreshTimeout);
    positive("min_refetch_interval", minRefetchInterval);
    positive("outage_tolerance", outageTolerance);
    positive("connect_timeout", connectTimeout);
    positive("read_timeout", readTimeout);
    if (sizeLimitBytes < 1024) {
      throw new IllegalArgumentException("size_limit_bytes must be at least 1024");
    }
    // nimbus' own preconditions, stated here so a bad policy fails at configuration time.
    if (refreshAhead.plus(refreshTimeout).compareTo(cacheTtl) > 0) {
      throw new IllegalArgumentException(
          "refresh_ahead + refresh_timeout must not exceed cache_ttl");
    }
    if (minRefetchInterval.compareTo(cacheTtl) >= 0) {
      throw new IllegalArgumentException("min_refetch_interval must be shorter than cache_ttl");
    }
    // A cached set older than the TTL is always re-fetched first, so keys are only ever refused as
    // stale after a fetch was tried and failed.
    if (outageTolerance.compareTo(cacheTtl) < 0) {
      throw new IllegalArgumentException("outage_tolerance must be at least cache_ttl");
    }
  }

  /**
   * Five-minute cache, refreshed 30 s ahead of expiry, at most two fetches per 30 s, cached keys
   * trusted for 15 minutes of IdP outage.
   */
  public static JwksFetchPolicy defaults() {
    return new JwksFetchPolicy(
        Duration.ofMinutes(5),
        Duration.ofSeconds(30),
        Duration.ofSeconds(15),
        Duration.ofSeconds(30),
        Duration.ofMinutes(15),
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        512 * 1024,
        true);
  }

  public JwksFetchPolicy withOutageTolerance(Duration outageTolerance) {
    return new JwksFetchPolicy(
        cacheTtl,
        refreshAhead,
        refreshTimeout,
        minRefetchInterval,
        outageTolerance,
        connectTimeout,
        readTimeout,
        sizeLimitBytes,
        scheduledRefresh);
  }

  public JwksFetchPolicy withScheduledRefresh(boolean scheduledRefresh) {
    return new JwksFetchPolicy(
        cacheTtl,
        refreshAhead,
        refreshTimeout,
        minRefetchInterval,
        outageTolerance,
        connectTimeout,
        readTimeout,
        sizeLimitBytes,
        scheduledRefresh);
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration");
    }
  }
}
