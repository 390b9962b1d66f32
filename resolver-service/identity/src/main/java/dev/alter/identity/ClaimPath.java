package dev.alter.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a token lists the user's groups: a top-level claim ({@code groups}, {@code roles}) or a
 * dot-separated path into nested objects ({@code o.rol}, {@code realm_access.roles}). The value may
 * be a JSON array of strings or one space-separated string (OAuth {@code scope} style).
 *
 * <p>Some providers use URLs as claim names ({@code https://example.com/roles}), which contain dots
 * themselves. At each level the longest run of segments that names an existing key wins, so such
 * names need no escaping.
 */
public final class ClaimPath {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final int MAX_LENGTH = 256;

  private final String path;
  private final List<String> segments;

  private ClaimPath(String path) {
    this.path = path;
    this.segments = List.of(path.split("\\.", -1));
  }

  public static ClaimPath parse(String path) {
    if (path == null || path.isBlank() || path.length() > MAX_LENGTH) {
      throw new InvalidIdentityProviderConfig(
          "group_claim", "must be 1-" + MAX_LENGTH + " characters");
    }
    if (path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
      throw new InvalidIdentityProviderConfig("group_claim", "has an empty path segment");
    }
    if (path.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c))) {
      throw new InvalidIdentityProviderConfig(
          "group_claim", "must not contain spaces or control characters");
    }
    return new ClaimPath(path);
  }

  /**
   * The values at this path; empty when the claim is absent or holds neither strings nor an array.
   */
  public Set<String> valuesIn(Map<String, Object> claims) {
    Object value = find(claims, 0);
    Set<String> out = new LinkedHashSet<>();
    if (value instanceof String s) {
      for (String part : WHITESPACE.split(s.trim())) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
    } else if (value instanceof Collection<?> list) {
      for (Object item : list) {
        // Numbers are accepted as ids (some directories use numeric group ids); objects are not.
        if (item instanceof String s && !s.isBlank()) {
          out.add(s);
        } else if (item instanceof Number n) {
          out.add(n.toString());
        }
      }
    }
    return out;
  }

  private Object find(Object node, int from) {
    if (from == segments.size()) {
      return node;
    }
    if (!(node instanceof Map<?, ?> map)) {
      return null;
    }
    for (int to = segments.size(); to > from; to--) {
      String key = String.join(".", new ArrayList<>(segments.subList(from, to)));
      if (map.containsKey(key)) {
        Object found = find(map.get(key), to);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return path;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClaimPath other && other.path.equals(path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }
}
