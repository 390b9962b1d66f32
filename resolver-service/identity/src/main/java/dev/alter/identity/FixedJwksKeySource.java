package dev.alter.identity;

import com.nimbusds.jose.jwk.JWKSet;

/** Keys the operator supplied (air-gapped setups): nothing to fetch, nothing to refresh. */
final class FixedJwksKeySource implements JwksKeySource {
  private final JWKSet keys;

  FixedJwksKeySource(JWKSet keys) {
    this.keys = keys;
  }

  @Override
  public JWKSet current() {
    return keys;
  }

  @Override
  public JWKSet refreshedAfterMiss(JWKSet seen) {
    return keys;
  }

  @Override
  public void close() {}
}
