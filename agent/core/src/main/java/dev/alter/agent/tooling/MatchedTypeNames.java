package dev.alter.agent.tooling;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.NameMatcher;
import net.bytebuddy.matcher.StringMatcher;
import net.bytebuddy.matcher.StringSetMatcher;

/**
 * Reads the exact type names out of a type matcher built from {@code named(..)}, {@code
 * namedOneOf(..)} and {@code or}/{@code and} of those, so the installer can filter class loads by
 * name before Byte Buddy is even loaded. Anything else (a hierarchy matcher, a prefix, a matcher
 * this class does not know) yields {@code null}: "could match any name", and the installer then
 * starts Byte Buddy eagerly. The result only ever pre-filters; Byte Buddy still applies the real
 * matcher to every class that passes.
 *
 * <p>Byte Buddy keeps these values in private fields; it is shaded into the agent at a pinned
 * version and {@code MatchedTypeNamesTest} fails if a new version moves them.
 */
final class MatchedTypeNames {
  private MatchedTypeNames() {}

  /**
   * @return the binary names ({@code a.b.C$D}) the matcher can accept, or null if not known
   */
  static Set<String> of(ElementMatcher<?> matcher) {
    try {
      Set<String> names = namesOf(matcher);
      return names == null ? null : Collections.unmodifiableSet(names);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Set<String> namesOf(Object matcher) throws ReflectiveOperationException {
    if (matcher instanceof NameMatcher) {
      return namesOfString(field(NameMatcher.class, "matcher", matcher));
    }
    if (matcher instanceof ElementMatcher.Junction.Disjunction) {
      // either side may match: every side must be known, and the union bounds the result
      Set<String> union = new HashSet<>();
      for (Object part : parts(matcher)) {
        Set<String> names = namesOf(part);
        if (names == null) {
          return null;
        }
        union.addAll(names);
      }
      return union;
    }
    if (matcher instanceof ElementMatcher.Junction.Conjunction) {
      // every side must match: any one known side bounds the result
      Set<String> bound = null;
      for (Object part : parts(matcher)) {
        Set<String> names = namesOf(part);
        if (names != null) {
          if (bound == null) {
            bound = new HashSet<>(names);
          } else {
            bound.retainAll(names);
          }
        }
      }
      return bound;
    }
    return null;
  }

  private static Set<String> namesOfString(Object stringMatcher)
      throws ReflectiveOperationException {
    if (stringMatcher instanceof StringMatcher) {
      Object mode = field(StringMatcher.class, "mode", stringMatcher);
      if (mode != StringMatcher.Mode.EQUALS_FULLY) {
        return null;
      }
      Set<String> one = new HashSet<>();
      one.add((String) field(StringMatcher.class, "value", stringMatcher));
      return one;
    }
    if (stringMatcher instanceof StringSetMatcher) {
      Set<?> values = (Set<?>) field(StringSetMatcher.class, "values", stringMatcher);
      Set<String> names = new HashSet<>();
      for (Object value : values) {
        names.add((String) value);
      }
      return names;
    }
    return null;
  }

  private static List<?> parts(Object junction) throws ReflectiveOperationException {
    return (List<?>) field(junction.getClass(), "matchers", junction);
  }

  private static Object field(Class<?> owner, String name, Object target)
      throws ReflectiveOperationException {
    Field field = owner.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(target);
  }
}
