package dev.alter.identity;

import com.nimbusds.jose.jwk.JWKSet;
import java.time.Clock;

/**
 * The signing keys of one identity provider. {@link TokenVerifier} asks for {@link #current()};
 * when no key fits a token it asks once for {@link #refreshedAfterMiss(JWKSet)}, which is where a
 * rotated-in key is picked up and where refetching is rate limited.
 */
public interface JwksKeySource extends AutoCloseable {

  /** The key set to verify with now (cached; fetched when missing or expired). */
  JWKSet current() throws JwksUnavailableException;

  /**
   * A newer key set than {@code seen}, after a token named a key that {@code seen} lacks. Returns
   * {@code seen} itself when the rate limit allows no fetch now or nothing changed.
   */
  JWKSet refreshedAfterMiss(JWKSet seen) throws JwksUnavailableException;

  /** Stops background refreshes; idempotent. */
  @Override
  void close();

  /** The key source for a configured location: a cached remote JWKS, or fixed keys. */
  static JwksKeySource of(JwksLocation location, JwksFetchPolicy policy, Clock clock) {
    if (location instanceof JwksLocation.Remote remote) {
      return RemoteJwksKeySource.create(remote.url(), policy, clock);
    }
    return new FixedJwksKeySource(((JwksLocation.Fixed) location).keys());
  }
}
