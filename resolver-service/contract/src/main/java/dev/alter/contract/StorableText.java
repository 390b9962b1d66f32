package dev.alter.contract;

/**
 * Text the service stores and later repeats (labels, credentials, audited subjects) must not hold
 * C1 control characters (U+0080–U+009F), the line and paragraph separators U+2028/U+2029 (both
 * break header values and log lines where the text is used later) or unpaired surrogates (they
 * cannot be encoded, so what is stored would differ from what was sent).
 */
public final class StorableText {
  private StorableText() {}

  public static boolean isStorable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch >= 0x80 && ch <= 0x9f || ch == 0x2028 || ch == 0x2029) {
        return false;
      }
      if (Character.isHighSurrogate(ch)) {
        if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(ch)) {
        return false;
      }
    }
    return true;
  }
}
