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

  /** Whether {@code value} has the form {@link #newId} gives ids with this prefix. */
  public static boolean isId(String prefix, String value) {
    if (value == null || value.length() != prefix.length() + 20 || !value.startsWith(prefix)) {
      return false;
    }
    for (int i = prefix.length(); i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code value} has the form of any id {@link #newId} gives (a lower-case prefix, '_', 20
   * hex digits).
   */
  public static boolean isIssuedId(String value) {
    int underscore = value == null ? -1 : value.indexOf('_');
    if (underscore < 1 || underscore > 8) {
      return false;
    }
    for (int i = 0; i < underscore; i++) {
      if (value.charAt(i) < 'a' || value.charAt(i) > 'z') {
        return false;
      }
    }
    return isId(value.substring(0, underscore + 1), value);
  }
}
