package dev.alter.service.crypto;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * App keys, admin keys and ids. Keys are a prefix plus 32 random bytes (base64url), shown once;
 * only their proof key id and public key are stored ({@link ProofKeys}).
 */
public final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private ApiKeys() {}

  public static String newKey(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + B64.encodeToString(bytes);
  }

  /** A random id such as {@code app_5f0c2a9e1b7d43c8a6e2}: prefix plus 20 hex chars (80 bits). */
  public static String newId(String prefix) {
    byte[] bytes = new byte[10];
    RANDOM.nextBytes(bytes);
    return prefix + HexFormat.of().formatHex(bytes);
  }
}
