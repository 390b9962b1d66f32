package dev.alter.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real key pairs, generated in the test JVM (never stored). Memoised by kind and kid: test classes
 * that name the same kid share the key, which keeps RSA generation off the shared CPUs.
 */
final class TestKeys {
  private static final Map<String, JWK> GENERATED = new ConcurrentHashMap<>();

  private TestKeys() {}

  static RSAKey rsa(String kid) {
    return (RSAKey) GENERATED.computeIfAbsent("rsa:" + kid, k -> generateRSAKey(kid));
  }

  private static RSAKey generateRSAKey(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static ECKey ec(String kid) {
    return (ECKey) GENERATED.computeIfAbsent("ec:" + kid, k -> generateECKey(kid));
  }

  private static ECKey generateECKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static OctetKeyPair ed25519(String kid) {
    return (OctetKeyPair)
        GENERATED.computeIfAbsent("ed25519:" + kid, k -> generateOctetKeyPair(kid));
  }

  private static OctetKeyPair generateOctetKeyPair(String kid) {
    try {
      return new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
