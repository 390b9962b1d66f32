package dev.alter.it.harness;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random values for test credentials and names: new per run, so finding one anywhere is proof. */
public final class RandomHex {
  private static final SecureRandom RANDOM = new SecureRandom();

  private RandomHex() {}

  /** {@code bytes} random bytes as lower-case hex (twice as many characters). */
  public static String of(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
