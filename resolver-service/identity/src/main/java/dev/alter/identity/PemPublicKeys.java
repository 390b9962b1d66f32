package dev.alter.identity;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM public keys with the JDK alone (no BouncyCastle): {@code PUBLIC KEY} blocks
 * (SubjectPublicKeyInfo) and {@code CERTIFICATE} blocks. Each key becomes a JWK without a {@code
 * kid}, which the key selection treats as usable for any {@code kid} a token names: an operator
 * copying a PEM rarely knows the IdP's key ids.
 */
final class PemPublicKeys {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  /** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
  private static final byte[] ED25519_SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private PemPublicKeys() {}

  static JWKSet parse(String pem) {
    if (pem == null || pem.isBlank()) {
      throw new InvalidIdentityProviderConfig("jwks_pem", "is empty");
    }
    if (pem.contains("PRIVATE KEY-----")) {
      throw new InvalidIdentityProviderConfig(
          "jwks_pem", "holds a private key; give only public keys");
    }
    List<JWK> keys = new ArrayList<>();
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new InvalidIdentityProviderConfig(
            "jwks_pem", "block " + (keys.size() + 1) + " is not valid base64");
      }
      PublicKey key =
          switch (m.group(1)) {
            case "PUBLIC KEY" -> publicKey(der, keys.size() + 1);
            case "CERTIFICATE" -> certificateKey(der, keys.size() + 1);
            default ->
                throw new InvalidIdentityProviderConfig(
                    "jwks_pem",
                    "unsupported PEM block '" + m.group(1) + "' (use PUBLIC KEY or CERTIFICATE)");
          };
      keys.add(toJwk(key, der, keys.size() + 1));
    }
    if (keys.isEmpty()) {
      throw new InvalidIdentityProviderConfig(
          "jwks_pem", "holds no PUBLIC KEY or CERTIFICATE block");
    }
    return new JWKSet(keys);
  }

  private static PublicKey publicKey(byte[] der, int index) {
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException tryNext) {
        // not this key type
      }
    }
    throw new InvalidIdentityProviderConfig(
        "jwks_pem", "key " + index + " is not an RSA, EC or Ed25519 public key");
  }

  private static PublicKey certificateKey(byte[] der, int index) {
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der))
          .getPublicKey();
    } catch (GeneralSecurityException e) {
      throw new InvalidIdentityProviderConfig(
          "jwks_pem", "certificate " + index + " cannot be read");
    }
  }

  private static JWK toJwk(PublicKey key, byte[] der, int index) {
    if (key instanceof RSAPublicKey rsa) {
      return new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).build();
    }
    if (key instanceof ECPublicKey ec) {
      Curve curve = Curve.forECParameterSpec(ec.getParams());
      if (!Curve.P_256.equals(curve)) {
        throw new InvalidIdentityProviderConfig(
            "jwks_pem", "key " + index + " is on an EC curve other than P-256");
      }
      return new ECKey.Builder(curve, ec).keyUse(KeyUse.SIGNATURE).build();
    }
    if ("Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())) {
      byte[] encoded = key.getEncoded();
      if (encoded.length != ED25519_SPKI_PREFIX.length + 32
          || !Arrays.equals(
              encoded,
              0,
              ED25519_SPKI_PREFIX.length,
              ED25519_SPKI_PREFIX,
              0,
              ED25519_SPKI_PREFIX.length)) {
        throw new InvalidIdentityProviderConfig(
            "jwks_pem", "key " + index + " is not an Ed25519 key");
      }
      byte[] raw = Arrays.copyOfRange(encoded, ED25519_SPKI_PREFIX.length, encoded.length);
      return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(raw))
          .keyUse(KeyUse.SIGNATURE)
          .build();
    }
    throw new InvalidIdentityProviderConfig(
        "jwks_pem", "key " + index + " has an unsupported type " + key.getAlgorithm());
  }
}
