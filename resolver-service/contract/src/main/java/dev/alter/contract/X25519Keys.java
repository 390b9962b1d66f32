package dev.alter.contract;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;

/** X25519 keys in their RFC 7748 raw 32-byte form, using only the JDK's XDH provider. */
public final class X25519Keys {
  public static final int KEY_LENGTH = 32;

  private X25519Keys() {}

  public static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("XDH");
      generator.initialize(NamedParameterSpec.X25519);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 is not available in this JDK", e);
    }
  }

  /** Raw little-endian u-coordinate, as RFC 7748 and RFC 9180 serialise it. */
  public static byte[] rawPublicKey(PublicKey key) {
    BigInteger u = ((XECPublicKey) key).getU();
    byte[] bigEndian = u.toByteArray();
    byte[] raw = new byte[KEY_LENGTH];
    for (int i = 0; i < KEY_LENGTH && i < bigEndian.length; i++) {
      raw[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return raw;
  }

  public static PublicKey publicKeyFromRaw(byte[] raw) throws GeneralSecurityException {
    if (raw == null || raw.length != KEY_LENGTH) {
      throw new GeneralSecurityException("X25519 public key must be 32 bytes");
    }
    byte[] bigEndian = new byte[KEY_LENGTH];
    for (int i = 0; i < KEY_LENGTH; i++) {
      bigEndian[i] = raw[KEY_LENGTH - 1 - i];
    }
    bigEndian[0] &= 0x7f; // RFC 7748 §5: mask the unused top bit
    BigInteger u = new BigInteger(1, bigEndian);
    return KeyFactory.getInstance("XDH")
        .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
  }

  public static PrivateKey privateKeyFromRaw(byte[] raw) throws GeneralSecurityException {
    if (raw == null || raw.length != KEY_LENGTH) {
      throw new GeneralSecurityException("X25519 private key must be 32 bytes");
    }
    return KeyFactory.getInstance("XDH")
        .generatePrivate(
            new XECPrivateKeySpec(NamedParameterSpec.X25519, Arrays.copyOf(raw, KEY_LENGTH)));
  }
}
