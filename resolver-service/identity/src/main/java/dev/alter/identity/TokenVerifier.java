package dev.alter.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.alter.contract.StorableText;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies a compact JWS for one identity provider and returns who it names.
 *
 * <p>Checks, in this order, each failing with its own {@link RejectionReason}: the token is a
 * signed JWT; its header carries no key or key URL ({@code jku}, {@code x5u}, {@code jwk}, {@code
 * x5c} — we never fetch or trust what a token points at); {@code alg} is on the IdP's allow-list; a
 * key of the IdP's JWKS with that {@code kid} and of that algorithm's type exists (one rate-limited
 * refetch when not); the signature verifies. Only then are the claims read: {@code iss} exactly the
 * IdP's, an {@code aud} in the allow-list, {@code exp} present and not past, {@code nbf}/{@code
 * iat} not in the future (each within the clock skew), the user claim present.
 *
 * <p>Thread-safe. Nothing here logs; rejections never contain the token.
 */
public final class TokenVerifier implements AutoCloseable {
  /** Larger tokens are refused before any parsing; real ID and access tokens are a few KiB. */
  static final int MAX_TOKEN_CHARS = 16 * 1024;

  private static final int MAX_USER_ID_CHARS = 256;

  /** The last second of year 9999: later times do not print as RFC 3339. */
  private static final Instant LATEST_NUMERIC_DATE = Instant.parse("9999-12-31T23:59:59Z");

  private final IdentityProviderConfig config;
  private final JwksKeySource keys;
  private final Clock clock;

  public TokenVerifier(IdentityProviderConfig config, JwksKeySource keys, Clock clock) {
    this.config = config;
    this.keys = keys;
    this.clock = clock;
  }

  /** A verifier with the key source the configuration names (remote JWKS or fixed keys). */
  public static TokenVerifier create(
      IdentityProviderConfig config, JwksFetchPolicy policy, Clock clock) {
    return new TokenVerifier(config, JwksKeySource.of(config.jwks(), policy, clock), clock);
  }

  public IdentityProviderConfig config() {
    return config;
  }

  public VerifiedIdentity verify(String token) throws IdentityRejected {
    SignedJWT jwt = parse(token);
    JWSHeader header = jwt.getHeader();
    if (header.getJWKURL() != null
        || header.getX509CertURL() != null
        || header.getJWK() != null
        || header.getX509CertChain() != null) {
      throw reject(
          RejectionReason.EMBEDDED_KEY_NOT_TRUSTED,
          "the header carries jku, x5u, jwk or x5c; keys come only from the IdP's JWKS");
    }
    SigningAlgorithm alg =
        SigningAlgorithm.of(header.getAlgorithm())
            .filter(config.algorithms()::contains)
            .orElseThrow(
                () ->
                    reject(
                        RejectionReason.ALG_NOT_ALLOWED,
                        "alg is not among "
                            + config.algorithms().stream()
                                .map(SigningAlgorithm::joseName)
                                .toList()));
    verifySignature(jwt, header, alg);
    return checkClaims(jwt, TokenDigest.sha256Hex(token));
  }

  @Override
  public void close() {
    keys.close();
  }

  private SignedJWT parse(String token) throws IdentityRejected {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      throw reject(
          RejectionReason.MALFORMED,
          "token is empty or longer than " + MAX_TOKEN_CHARS + " characters");
    }
    if (declaresAlgNone(token)) {
      throw reject(RejectionReason.ALG_NOT_ALLOWED, "alg none: unsigned tokens are never accepted");
    }
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException | RuntimeException e) {
      // The parser's message may quote parts of the token: it is not kept.
      throw reject(RejectionReason.MALFORMED, "not a compact JWS");
    }
    if (jwt instanceof PlainJWT) {
      throw reject(RejectionReason.ALG_NOT_ALLOWED, "alg none: unsigned tokens are never accepted");
    }
    if (jwt instanceof EncryptedJWT) {
      throw reject(
          RejectionReason.MALFORMED,
          "an encrypted JWT (JWE) is not accepted; send the signed token");
    }
    return (SignedJWT) jwt;
  }

  /** Any spelling of {@code none}, whatever else the token carries (a signature, a kid). */
  private static boolean declaresAlgNone(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return false;
    }
    try {
      Object alg =
          JSONObjectUtils.parse(new Base64URL(token.substring(0, dot)).decodeToString()).get("alg");
      return alg instanceof String name && name.trim().equalsIgnoreCase("none");
    } catch (ParseException | RuntimeException e) {
      return false;
    }
  }

  private void verifySignature(SignedJWT jwt, JWSHeader header, SigningAlgorithm alg)
      throws IdentityRejected {
    JWKSet set;
    try {
      set = keys.current();
    } catch (JwksUnavailableException e) {
      throw new IdentityRejected(
          RejectionReason.JWKS_UNAVAILABLE,
          config.idpId(),
          null,
          "the IdP's key set cannot be fetched and the cached one is too old",
          e);
    }
    List<JWK> candidates = VerificationKeys.candidates(header, alg, set);
    if (candidates.isEmpty() && !VerificationKeys.kidNamesKeyOfAnotherKind(header, alg, set)) {
      // Possibly a key rotated in since the last fetch.
      try {
        set = keys.refreshedAfterMiss(set);
      } catch (JwksUnavailableException e) {
        throw new IdentityRejected(
            RejectionReason.JWKS_UNAVAILABLE,
            config.idpId(),
            null,
            "the token names a key not cached and the IdP's key set cannot be fetched",
            e);
      }
      candidates = VerificationKeys.candidates(header, alg, set);
    }
    if (candidates.isEmpty()) {
      if (VerificationKeys.kidNamesKeyOfAnotherKind(header, alg, set)) {
        throw reject(
            RejectionReason.ALG_NOT_ALLOWED,
            "alg " + alg.joseName() + " does not fit the key the kid names");
      }
      throw reject(
          RejectionReason.UNKNOWN_KEY, "no key of the IdP's JWKS fits the token's kid and alg");
    }
    for (JWK key : candidates) {
      Optional<JWSVerifier> verifier = VerificationKeys.verifierFor(key);
      try {
        if (verifier.isPresent() && jwt.verify(verifier.get())) {
          return;
        }
      } catch (JOSEException | IllegalStateException e) {
        // A key the library cannot use with this token counts as not verifying; try the next one.
      }
    }
    throw reject(
        RejectionReason.SIGNATURE_INVALID, "the signature does not verify with the IdP's key");
  }

  private VerifiedIdentity checkClaims(SignedJWT jwt, String tokenHash) throws IdentityRejected {
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw reject(RejectionReason.MALFORMED, "the payload is not a JSON claims set");
    }
    // From here on the token is the IdP's: its subject is trustworthy and goes into rejections.
    Optional<String> userId = userId(claims);
    String subject = userId.map(id -> "user:" + config.idpId() + "/" + id).orElse(null);

    if (!config.issuer().equals(claims.getIssuer())) {
      throw rejectVerified(RejectionReason.ISSUER_MISMATCH, subject, "iss is not the IdP's issuer");
    }
    List<String> audience = claims.getAudience();
    if (audience.stream().noneMatch(config.audiences()::contains)) {
      throw rejectVerified(
          RejectionReason.AUDIENCE_MISMATCH, subject, "no aud value is an accepted audience");
    }

    Instant now = clock.instant();
    Duration skew = config.clockSkew();
    Instant exp = instant(claims, "exp", subject);
    if (exp == null) {
      throw rejectVerified(RejectionReason.MISSING_EXP, subject, "the token has no exp");
    }
    if (!now.isBefore(exp.plus(skew))) {
      throw rejectVerified(RejectionReason.EXPIRED, subject, "expired at " + exp);
    }
    Instant nbf = instant(claims, "nbf", subject);
    if (nbf != null && nbf.isAfter(now.plus(skew))) {
      throw rejectVerified(RejectionReason.NOT_YET_VALID, subject, "not valid before " + nbf);
    }
    Instant iat = instant(claims, "iat", subject);
    if (iat != null && iat.isAfter(now.plus(skew))) {
      throw rejectVerified(
          RejectionReason.NOT_YET_VALID, subject, "issued in the future (" + iat + ")");
    }

    if (userId.isEmpty()) {
      throw rejectVerified(
          RejectionReason.MISSING_USER_CLAIM,
          null,
          "claim '" + config.userClaim() + "' is missing or not a usable user id");
    }
    Set<String> groups = config.groupClaim().valuesIn(claims.getClaims());
    return new VerifiedIdentity(config.idpId(), userId.get(), groups, exp, tokenHash);
  }

  private Optional<String> userId(JWTClaimsSet claims) {
    Object value = claims.getClaim(config.userClaim());
    String id =
        value instanceof String s
            ? s
            : value instanceof Long || value instanceof Integer ? value.toString() : null;
    if (id == null
        || id.isBlank()
        || id.length() > MAX_USER_ID_CHARS
        || id.chars().anyMatch(Character::isISOControl)
        || !StorableText.isStorable(id)) {
      return Optional.empty();
    }
    return Optional.of(id);
  }

  private Instant instant(JWTClaimsSet claims, String name, String subject)
      throws IdentityRejected {
    Date date;
    try {
      date = claims.getDateClaim(name);
    } catch (ParseException e) {
      throw rejectVerified(RejectionReason.MALFORMED, subject, name + " is not a NumericDate");
    }
    // Nimbus multiplies seconds by 1000 without an overflow check: a huge value wraps to a negative
    // time.
    if (date != null && (date.getTime() < 0 || date.toInstant().isAfter(LATEST_NUMERIC_DATE))) {
      throw rejectVerified(
          RejectionReason.MALFORMED, subject, name + " is not a NumericDate from 1970 to 9999");
    }
    return date == null ? null : date.toInstant();
  }

  private IdentityRejected reject(RejectionReason reason, String detail) {
    return IdentityRejected.of(reason, config.idpId(), detail);
  }

  private IdentityRejected rejectVerified(RejectionReason reason, String subject, String detail) {
    return IdentityRejected.ofVerifiedSubject(reason, config.idpId(), subject, detail);
  }
}
