package dev.alter.contract.policy;

import java.util.Locale;

/**
 * One allowed kind of request: an HTTP method (or any) and a {@link PathPattern}, written {@code
 * GET /repos/*}{@code /*} or just {@code /v1/**} (any method).
 */
public final class RequestRule {
  private static final int MAX_METHOD = 16;

  private final String text;

  /** Upper case, or null for any method. */
  private final String method;

  private final PathPattern path;

  private RequestRule(String text, String method, PathPattern path) {
    this.text = text;
    this.method = method;
    this.path = path;
  }

  /**
   * @throws IllegalArgumentException naming what is wrong with the rule
   */
  public static RequestRule parse(String text) {
    if (text == null || text.trim().isEmpty()) {
      throw new IllegalArgumentException("a request rule is 'METHOD /path' or '/path'");
    }
    String t = text.trim();
    int space = t.indexOf(' ');
    String method = null;
    String path = t;
    if (space >= 0) {
      method = t.substring(0, space);
      path = t.substring(space + 1).trim();
      if (method.isEmpty() || method.length() > MAX_METHOD || !isUpperToken(method)) {
        throw new IllegalArgumentException(
            "a request rule's method is an upper-case HTTP method such as GET or POST");
      }
      if (method.equals("*")) {
        method = null;
      }
    }
    return new RequestRule(
        method == null ? path : method + " " + path, method, PathPattern.parse(path));
  }

  private static boolean isUpperToken(String s) {
    if (s.equals("*")) {
      return true;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'A' && c <= 'Z') && c != '-' && c != '_') {
        return false;
      }
    }
    return s.equals(s.toUpperCase(Locale.ROOT));
  }

  /** Whether this rule allows {@code method} on the normalised {@code path[from, to)}. */
  public boolean allows(String method, String path, int from, int to) {
    return (this.method == null || this.method.equals(method)) && this.path.matches(path, from, to);
  }

  /** The canonical text, e.g. {@code GET /repos/*}{@code /*}. */
  @Override
  public String toString() {
    return text;
  }
}
