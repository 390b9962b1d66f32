package dev.alter.service.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit key-encryption key. Its id ({@code mk_} + 16 hex chars) is derived from the key
 * material, so the same key always has the same id wherever it is configured and the id reveals
 * nothing usable about the key. {@link #toString()} shows only the id.
 */
public final class MasterKey {
  public static final int LENGTH = 32;

  private final String id;
  private final SecretKeySpec key;
  private final SecretKeySpec fingerprintKey;

  private MasterKey(byte[] material) {
    if (material.length != LENGTH) {
      throw new IllegalArgumentException("a master key must be 32 bytes");
    }
    this.key = new SecretKeySpec(material, "AES");
    this.id = "mk_" + HexFormat.of().formatHex(derive(material, "alter/master-key-id/v1"), 0, 8);
    this.fingerprintKey = new SecretKeySpec(derive(material, "alter/fingerprint/v1"), "HmacSHA256");
  }

  public static MasterKey of(byte[] material) {
    return new MasterKey(material.clone());
  }

  /** Parses base64 (standard or url alphabet, padding optional) of exactly 32 bytes. */
  public static MasterKey fromBase64(String text) {
    String trimmed = text.trim();
    byte[] material;
    try {
      material =
          trimmed.contains("-") || trimmed.contains("_")
              ? java.util.Base64.getUrlDecoder().decode(trimmed)
              : java.util.Base64.getDecoder().decode(trimmed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("master key is not valid base64");
    }
    try {
      return new MasterKey(material);
    } finally {
      Arrays.fill(material, (byte) 0);
    }
  }

  public String id() {
    return id;
  }

  SecretKeySpec aesKey() {
    return key;
  }

  /** HMAC-SHA256 key for fingerprints, derived from this key so it never needs storing. */
  SecretKeySpec fingerprintKey() {
    return fingerprintKey;
  }

  private static byte[] derive(byte[] material, String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(material, "HmacSHA256"));
      return mac.doFinal(label.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MasterKey other
        && MessageDigest.isEqual(other.key.getEncoded(), key.getEncoded());
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "MasterKey{" + id + "}";
  }
}
