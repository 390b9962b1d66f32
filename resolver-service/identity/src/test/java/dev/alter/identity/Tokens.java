package dev.alter.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Builds signed tokens the way an IdP (or an attacker) would. */
final class Tokens {
  static final String ISSUER = "https://idp.example.test/realms/corp";
  static final String AUDIENCE = "alter-resolver";

  private Tokens() {}

  /** Claims of a good token for {@code subject}, issued now, expiring in ten minutes. */
  static JWTClaimsSet.Builder claims(Instant now, String subject) {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(List.of(AUDIENCE))
        .subject(subject)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(600)));
  }

  static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
    return sign(key, new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
  }

  static String sign(JWK key, JWSHeader header, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(signer(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static JWSSigner signer(JWK key) throws JOSEException {
    if (key instanceof RSAKey rsa) {
      return new RSASSASigner(rsa);
    }
    if (key instanceof ECKey ec) {
      return new ECDSASigner(ec);
    }
    if (key instanceof OctetKeyPair okp) {
      return new Ed25519Signer(okp);
    }
    throw new IllegalArgumentException("no signer for " + key.getKeyType());
  }
}
