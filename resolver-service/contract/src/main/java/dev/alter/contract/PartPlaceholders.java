package dev.alter.contract;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of credential part names and of the {@code {part}} placeholders that name them in
 * an injection template (e.g. {@code "Bearer {credential}"}): a lower-case letter, then up to 63
 * lower-case letters, digits or {@code _}. The service accepts only templates whose every brace
 * belongs to such a placeholder; the agent fills exactly these placeholders.
 */
public final class PartPlaceholders {
  private static final String PART_NAME = "[a-z][a-z0-9_]{0,63}";
  private static final Pattern NAME = Pattern.compile(PART_NAME);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(" + PART_NAME + ")\\}");

  private PartPlaceholders() {}

  public static boolean isPartName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** The part names the template's placeholders name, in order of first use. */
  public static Set<String> partsIn(String template) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** True when a {@code {} or {@code }} of the template is not part of a placeholder. */
  public static boolean hasStrayBrace(String template) {
    String rest = PLACEHOLDER.matcher(template).replaceAll("");
    return rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0;
  }

  /**
   * The template with each placeholder replaced by its part's value; every part the template names
   * must have one ({@link #partsIn} tells which to check first).
   */
  public static String fill(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 64);
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(values.get(m.group(1))));
    }
    return m.appendTail(out).toString();
  }
}
