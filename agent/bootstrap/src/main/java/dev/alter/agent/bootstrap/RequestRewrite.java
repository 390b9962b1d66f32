package dev.alter.agent.bootstrap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What advice applies to the request it is about to write: remove every header whose lower-case
 * name is in {@link #removeHeaders()} (always both {@code alter-*} headers, plus the headers the
 * secret owns), then append {@link #addHeaders()} in order, and, if {@link #pathAndQuery()} is not
 * null, write that request target instead. Header values added here are credentials: advice never
 * stores them anywhere the application can reach.
 */
public final class RequestRewrite {
  private final Set<String> removeHeaders;

  /** {@link #removeHeaders} as an array, for advice that walks it on every tagged request. */
  private final String[] removeNames;

  private final List<String> addNames;
  private final List<String> addValues;
  private final String pathAndQuery;

  private RequestRewrite(
      Set<String> removeHeaders,
      List<String> addNames,
      List<String> addValues,
      String pathAndQuery) {
    this.removeHeaders = removeHeaders;
    this.removeNames = removeHeaders.toArray(new String[0]);
    this.addNames = addNames;
    this.addValues = addValues;
    this.pathAndQuery = pathAndQuery;
  }

  private static final RequestRewrite STRIP_ONLY = new Builder().build();

  /**
   * Only strips the {@code alter-*} headers (e.g. an identity header without a grant); immutable,
   * shared.
   */
  public static RequestRewrite stripOnly() {
    return STRIP_ONLY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Lower-case header names to drop. */
  public Set<String> removeHeaders() {
    return removeHeaders;
  }

  /** How many lower-case header names {@link #removeName} answers. */
  public int removeCount() {
    return removeNames.length;
  }

  /** The i-th lower-case header name to drop, in {@link #removeHeaders()}' order. */
  public String removeName(int i) {
    return removeNames[i];
  }

  public boolean removes(String headerName) {
    // advice asks once per header of every tagged request: compare with the ASCII lower case
    // of each character instead of allocating a lower-cased copy; other names as before
    if (!isAscii(headerName)) {
      return removeHeaders.contains(headerName.toLowerCase(Locale.ROOT));
    }
    for (String removed : removeNames) {
      if (equalsAsciiLowerCase(removed, headerName)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7f) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code lower.equals(ascii.toLowerCase(Locale.ROOT))} for an ASCII {@code ascii}, without the
   * copy.
   */
  private static boolean equalsAsciiLowerCase(String lower, String ascii) {
    if (lower.length() != ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      char c = ascii.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (lower.charAt(i) != c) {
        return false;
      }
    }
    return true;
  }

  public int addCount() {
    return addNames.size();
  }

  public String addName(int i) {
    return addNames.get(i);
  }

  public String addValue(int i) {
    return addValues.get(i);
  }

  /** Replacement request target (query-parameter injection or signing), or null. */
  public String pathAndQuery() {
    return pathAndQuery;
  }

  /** True when a header of this name carries an injected credential (for wire-log redaction). */
  public boolean isInjected(String headerName) {
    for (String n : addNames) {
      if (n.equalsIgnoreCase(headerName)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "RequestRewrite{remove=" + removeHeaders + ", add=" + addNames + ", values=[redacted]}";
  }

  public static final class Builder {
    private final Set<String> remove = new LinkedHashSet<>();
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    private String pathAndQuery;

    Builder() {
      remove.add(AlterBridge.GRANT_HEADER);
      remove.add(AlterBridge.IDENTITY_HEADER);
    }

    public Builder remove(String headerName) {
      remove.add(headerName.toLowerCase(Locale.ROOT));
      return this;
    }

    /** Adds a header and removes any same-name header the app or SDK set. */
    public Builder put(String name, String value) {
      remove.add(name.toLowerCase(Locale.ROOT));
      names.add(name);
      values.add(value);
      return this;
    }

    public Builder pathAndQuery(String target) {
      this.pathAndQuery = target;
      return this;
    }

    public RequestRewrite build() {
      return new RequestRewrite(
          Collections.unmodifiableSet(new LinkedHashSet<>(remove)),
          Collections.unmodifiableList(new ArrayList<>(names)),
          Collections.unmodifiableList(new ArrayList<>(values)),
          pathAndQuery);
    }
  }
}
