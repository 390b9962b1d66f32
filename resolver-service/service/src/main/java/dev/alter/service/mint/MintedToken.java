package dev.alter.service.mint;

import java.time.Duration;
import java.time.Instant;

/**
 * A minted access token, when it stops working, and when the service stops handing it out: a margin
 * before expiry, so an agent never holds a token that expires during its cache time.
 */
public record MintedToken(String accessToken, Instant expiresAt, Instant reuseUntil) {
  private static final Duration MAX_MARGIN = Duration.ofSeconds(60);

  /** A token valid from {@code issuedAt} until {@code expiresAt}. */
  public static MintedToken of(String accessToken, Instant issuedAt, Instant expiresAt) {
    Duration lifetime = Duration.between(issuedAt, expiresAt);
    Duration margin = lifetime.dividedBy(4);
    if (margin.compareTo(MAX_MARGIN) > 0) {
      margin = MAX_MARGIN;
    }
    return new MintedToken(accessToken, expiresAt, expiresAt.minus(margin));
  }

  /** Whole seconds it may still be handed out for at {@code now}; 0 when it must be minted anew. */
  public long secondsLeft(Instant now) {
    return Math.max(0, Duration.between(now, reuseUntil).getSeconds());
  }

  @Override
  public String toString() {
    return "MintedToken[expiresAt=" + expiresAt + "]"; // never the token (SECURITY.md invariant 1)
  }
}
