package dev.alter.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.List;
import java.util.Optional;

/**
 * Which keys of an IdP's set may verify a token, decided from the trusted key set and the token's
 * {@code kid} and {@code alg} only. The algorithm fixes the key type (RSA for RS256/PS256, P-256
 * for ES256, Ed25519 for EdDSA), so a key is never used with an algorithm of another family.
 */
final class VerificationKeys {
  private static final int MIN_RSA_BITS = 2048;

  private VerificationKeys() {}

  /**
   * Keys that fit: same {@code kid} (a key without one fits any; PEM-supplied keys have none), the
   * algorithm's key type and curve, and no {@code use}/{@code key_ops}/{@code alg} that says
   * otherwise.
   */
  static List<JWK> candidates(JWSHeader header, SigningAlgorithm alg, JWKSet keys) {
    String kid = header.getKeyID();
    return keys.getKeys().stream()
        .filter(k -> kid == null || k.getKeyID() == null || kid.equals(k.getKeyID()))
        .filter(k -> fits(k, alg))
        .map(JWK::toPublicJWK)
        .toList();
  }

  /** True when the token's {@code kid} names a key of the set that does not fit its {@code alg}. */
  static boolean kidNamesKeyOfAnotherKind(JWSHeader header, SigningAlgorithm alg, JWKSet keys) {
    String kid = header.getKeyID();
    return kid != null
        && keys.getKeys().stream().anyMatch(k -> kid.equals(k.getKeyID()) && !fits(k, alg));
  }

  /** A verifier for one candidate key; empty when the key cannot be used (e.g. malformed). */
  static Optional<JWSVerifier> verifierFor(JWK key) {
    try {
      if (key instanceof RSAKey rsa) {
        return Optional.of(new RSASSAVerifier(rsa.toRSAPublicKey()));
      }
      if (key instanceof ECKey ec) {
        return Optional.of(new ECDSAVerifier(ec.toECPublicKey()));
      }
      if (key instanceof OctetKeyPair okp) {
        return Optional.of(new Ed25519Verifier(okp.toPublicJWK()));
      }
    } catch (JOSEException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static boolean fits(JWK key, SigningAlgorithm alg) {
    if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
      return false;
    }
    if (key.getKeyOperations() != null && !key.getKeyOperations().contains(KeyOperation.VERIFY)) {
      return false;
    }
    if (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg.jwsAlgorithm())) {
      return false;
    }
    return switch (alg) {
      case RS256, PS256 -> key instanceof RSAKey rsa && rsa.size() >= MIN_RSA_BITS;
      case ES256 -> key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve());
      case EDDSA -> key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve());
    };
  }
}
