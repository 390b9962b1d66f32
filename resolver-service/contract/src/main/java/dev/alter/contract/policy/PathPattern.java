package dev.alter.contract.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A path pattern of a request rule: {@code /}-separated segments, each a literal, {@code *}
 * (exactly one segment) or {@code **} (any number of segments, also none). Literals are compared,
 * case sensitively, with the decoded segments of a {@link RequestPath normalised} path. Matching
 * walks the path by index and allocates nothing.
 */
public final class PathPattern {
  private static final String ONE = "*";
  private static final String ANY = "**";
  private static final int MAX_LENGTH = 512;

  private final String text;

  /** Literal segments; {@link #ONE} and {@link #ANY} by identity for the wildcards. */
  private final String[] segments;

  private PathPattern(String text, String[] segments) {
    this.text = text;
    this.segments = segments;
  }

  /**
   * @throws IllegalArgumentException naming what is wrong with the pattern
   */
  public static PathPattern parse(String text) {
    if (text == null || text.isEmpty() || text.charAt(0) != '/') {
      throw new IllegalArgumentException("a path pattern starts with '/'");
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a path pattern has at most " + MAX_LENGTH + " characters");
    }
    List<String> out = new ArrayList<>();
    String body =
        text.length() > 1 && text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    if (body.equals("/")) {
      return new PathPattern(text, new String[0]);
    }
    for (String segment : body.substring(1).split("/", -1)) {
      if (segment.isEmpty()) {
        throw new IllegalArgumentException("a path pattern has no empty segment ('//')");
      }
      if (segment.equals("**")) {
        out.add(ANY);
        continue;
      }
      if (segment.equals("*")) {
        out.add(ONE);
        continue;
      }
      if (segment.indexOf('*') >= 0) {
        throw new IllegalArgumentException(
            "'*' and '**' stand for whole segments ('/repos/*/*'), not part of one");
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("a path pattern has no '.' or '..' segment");
      }
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        if (c <= 0x20 || c == 0x7f || c == '%' || c == '\\' || c == '?' || c == '#') {
          throw new IllegalArgumentException(
              "a path pattern is written decoded, without spaces, '%', '\\', '?' or '#'");
        }
      }
      out.add(segment);
    }
    return new PathPattern(text, out.toArray(new String[0]));
  }

  /**
   * Whether the normalised path {@code path[from, to)} (empty for the root, otherwise {@code
   * /seg/…} without a trailing slash) matches.
   */
  public boolean matches(String path, int from, int to) {
    return match(0, path, from, to);
  }

  private boolean match(int index, String path, int pos, int to) {
    if (index == segments.length) {
      return pos == to;
    }
    String segment = segments[index];
    if (segment == ANY) {
      int at = pos;
      while (true) {
        if (match(index + 1, path, at, to)) {
          return true;
        }
        if (at >= to) {
          return false;
        }
        at = nextSlash(path, at + 1, to);
      }
    }
    if (pos >= to) {
      return false;
    }
    int end = nextSlash(path, pos + 1, to);
    int length = end - pos - 1;
    if (segment == ONE) {
      return length > 0 && match(index + 1, path, end, to);
    }
    return length == segment.length()
        && path.regionMatches(pos + 1, segment, 0, length)
        && match(index + 1, path, end, to);
  }

  private static int nextSlash(String path, int from, int to) {
    int i = from;
    while (i < to && path.charAt(i) != '/') {
      i++;
    }
    return i;
  }

  @Override
  public String toString() {
    return text;
  }
}
