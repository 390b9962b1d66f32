package dev.alter.contract.policy;

/**
 * At most {@code requests} requests in any {@code perSeconds} seconds, counted for the whole grant
 * or, for user and group grants, for each identity separately.
 */
public final class RateLimit {
  public static final int MAX_REQUESTS = 100_000;
  public static final int MAX_SECONDS = 86_400;

  private final int requests;
  private final int perSeconds;
  private final boolean perIdentity;

  /**
   * @throws IllegalArgumentException when a bound is out of range
   */
  public RateLimit(int requests, int perSeconds, boolean perIdentity) {
    if (requests < 1 || requests > MAX_REQUESTS) {
      throw new IllegalArgumentException("requests is between 1 and " + MAX_REQUESTS);
    }
    if (perSeconds < 1 || perSeconds > MAX_SECONDS) {
      throw new IllegalArgumentException("per_seconds is between 1 and " + MAX_SECONDS);
    }
    this.requests = requests;
    this.perSeconds = perSeconds;
    this.perIdentity = perIdentity;
  }

  public int requests() {
    return requests;
  }

  public int perSeconds() {
    return perSeconds;
  }

  public boolean perIdentity() {
    return perIdentity;
  }

  /** How a refusal names it, e.g. {@code rate_limit 60/60s per identity}. */
  @Override
  public String toString() {
    return "rate_limit "
        + requests
        + "/"
        + perSeconds
        + "s per "
        + (perIdentity ? "identity" : "grant");
  }
}
