package dev.alter.contract.policy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The path a request rule is matched against: the request target's path as a server resolves it.
 * Percent-encoding is decoded, dot segments are removed (RFC 3986 §5.2.4), repeated slashes
 * collapse to one and a trailing slash is dropped; the query never takes part.
 *
 * <p>Paths that servers read differently are refused rather than guessed at ({@link #normalise}
 * answers null): an encoded slash or backslash ({@code %2F}, {@code %5C}) — some servers split on
 * it, others do not —, a literal backslash, a control character or NUL, malformed percent-encoding
 * or UTF-8, and a dot segment with parameters ({@code ..;x}, which Tomcat resolves as {@code ..}).
 */
public final class RequestPath {
  private RequestPath() {}

  /**
   * The end (exclusive) of the path in {@code target} when it is already normal and can be matched
   * in place, without allocating; -1 when it must go through {@link #normalise}. A normal path has
   * no {@code %}, {@code \}, empty segment or segment that starts with a dot. The path then is
   * {@code target[0, end)}: empty for the root, otherwise {@code /seg/…} without a trailing slash.
   */
  public static int normalEnd(String target) {
    int length = target.length();
    if (length == 0 || target.charAt(0) != '/') {
      return -1;
    }
    int end = length;
    for (int i = 0; i < length; i++) {
      char c = target.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
      if (c == '%' || c == '\\' || c < 0x21 || c == 0x7f) {
        return -1;
      }
      if (c == '/' && i + 1 < length) {
        char next = target.charAt(i + 1);
        if (next == '/' || next == '.') {
          return -1;
        }
      }
    }
    if (end > 0 && target.charAt(end - 1) == '/') {
      end--;
    }
    return end;
  }

  /**
   * The normalised path of a raw request target ({@code /a/b?q}): empty for the root, otherwise
   * {@code /seg/…}, decoded; null when the path is ambiguous (see the class comment).
   */
  public static String normalise(String target) {
    if (target == null || target.isEmpty() || target.charAt(0) != '/') {
      return null;
    }
    int end = target.length();
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    Deque<String> segments = new ArrayDeque<>();
    int start = 1;
    while (start <= end) {
      int slash = target.indexOf('/', start);
      int segEnd = slash < 0 || slash > end ? end : slash;
      String segment = decode(target, start, segEnd);
      if (segment == null) {
        return null;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else if (!segment.isEmpty() && !segment.equals(".")) {
        int semicolon = segment.indexOf(';');
        if (semicolon >= 0) {
          String base = segment.substring(0, semicolon);
          if (base.equals(".") || base.equals("..")) {
            return null;
          }
        }
        segments.addLast(segment);
      }
      start = segEnd + 1;
    }
    StringBuilder out = new StringBuilder(end);
    for (String s : segments) {
      out.append('/').append(s);
    }
    return out.toString();
  }

  /**
   * One decoded segment, or null when it decodes to a separator, a control character or bad UTF-8.
   */
  private static String decode(String s, int from, int to) {
    boolean encoded = false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%') {
        encoded = true;
      } else if (c == '\\' || c < 0x20 || c == 0x7f) {
        return null;
      }
    }
    if (!encoded) {
      return s.substring(from, to);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c != '%') {
        if (c > 0x7f) {
          byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
          bytes.write(utf8, 0, utf8.length);
        } else {
          bytes.write(c);
        }
        continue;
      }
      if (i + 2 >= to) {
        return null;
      }
      int hi = Character.digit(s.charAt(i + 1), 16);
      int lo = Character.digit(s.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      int b = hi << 4 | lo;
      if (b == '/' || b == '\\' || b < 0x20 || b == 0x7f) {
        return null;
      }
      bytes.write(b);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
