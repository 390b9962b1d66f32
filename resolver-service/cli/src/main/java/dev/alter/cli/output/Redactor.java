package dev.alter.cli.output;

import java.util.ArrayList;
import java.util.List;

/**
 * Last line of defence for the write-only invariant: every credential value the CLI has read in
 * this run is registered here, and all output and error text passes through {@link #redact} before
 * it is printed. The service never echoes a credential; this guards against that ever changing.
 */
public final class Redactor {
  public static final String MASK = "[redacted]";
  private final List<String> secrets = new ArrayList<>();

  /** Values shorter than this are not real keys, and masking them would garble any text. */
  static final int MIN_LENGTH = 6;

  public void register(String secret) {
    if (secret != null && secret.length() >= MIN_LENGTH) {
      secrets.add(secret);
    }
  }

  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, MASK);
    }
    return result;
  }
}
