package dev.alter.identity;

import java.util.Locale;

/**
 * Why an identity was not accepted: the failed check, recorded in audit events next to {@code
 * identity_invalid}. The wire form ({@link #code()}) is stable; add values, never rename.
 */
public enum RejectionReason {
  /** Not a compact JWS, undecodable parts, or claims of the wrong type. */
  MALFORMED,
  /**
   * {@code alg} is {@code none}, symmetric, not on the IdP's allow-list, or does not fit the key.
   */
  ALG_NOT_ALLOWED,
  /**
   * The header carries {@code jku}, {@code x5u}, {@code jwk} or {@code x5c}: keys are only ever the
   * IdP's.
   */
  EMBEDDED_KEY_NOT_TRUSTED,
  /** No key of the IdP's JWKS fits the token's {@code kid}, even after a refetch. */
  UNKNOWN_KEY,
  /** A fitting key exists but the signature does not verify (forged or tampered). */
  SIGNATURE_INVALID,
  /** The IdP's key set cannot be fetched and the cached one is past its outage tolerance. */
  JWKS_UNAVAILABLE,
  /** {@code iss} is not exactly the IdP's issuer, or names no registered IdP. */
  ISSUER_MISMATCH,
  /** No {@code aud} value is among the IdP's accepted audiences. */
  AUDIENCE_MISMATCH,
  /** The token has no {@code exp}: tokens without an end are not accepted. */
  MISSING_EXP,
  /** {@code exp} is past, beyond the clock skew. */
  EXPIRED,
  /** {@code nbf} or {@code iat} is in the future, beyond the clock skew. */
  NOT_YET_VALID,
  /** The token lacks the configured user claim, or it is not a usable id. */
  MISSING_USER_CLAIM,
  /** An {@code alter_key_agent_…} token that no agent holds. */
  AGENT_TOKEN_UNKNOWN,
  /** An agent token that was revoked (or rotated away). */
  AGENT_TOKEN_REVOKED;

  /** The wire form, e.g. {@code signature_invalid}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
