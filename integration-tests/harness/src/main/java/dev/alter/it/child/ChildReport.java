package dev.alter.it.child;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a child app observed, printed as one JSON line on stdout for the test to read. JDK-only on
 * purpose: child apps put this package's jar on their classpath and nothing else of the harness.
 * Values may be strings, numbers, booleans, null, lists, maps or nested reports.
 */
public final class ChildReport {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  public static ChildReport create() {
    return new ChildReport();
  }

  public ChildReport put(String name, Object value) {
    fields.put(name, value);
    return this;
  }

  /** Records a failure: exception class, message and, for the agent's exception, code and grant. */
  public ChildReport error(Throwable error) {
    Map<String, Object> e = new LinkedHashMap<>();
    Throwable t = unwrap(error);
    e.put("class", t.getClass().getName());
    e.put("message", t.getMessage());
    e.put("is_io_exception", t instanceof java.io.IOException);
    e.put("code", invokeIfPresent(t, "code"));
    e.put("grant_id", invokeIfPresent(t, "grantId"));
    fields.put("error", e);
    return this;
  }

  /** The JDK client wraps failures of sendAsync in CompletionException/ExecutionException. */
  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static Object invokeIfPresent(Throwable t, String method) {
    try {
      return t.getClass().getMethod(method).invoke(t);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  /** Prints the report as one line and flushes. */
  public void print() {
    String line = toJson();
    synchronized (System.out) {
      System.out.println(line);
      System.out.flush();
    }
  }

  public String toJson() {
    StringBuilder sb = new StringBuilder();
    write(sb, fields);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof ChildReport) {
      write(sb, ((ChildReport) value).fields);
    } else if (value instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        writeString(sb, String.valueOf(e.getKey()));
        sb.append(':');
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (value instanceof Collection) {
      sb.append('[');
      boolean first = true;
      for (Object item : (Collection<?>) value) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        write(sb, item);
      }
      sb.append(']');
    } else if (value instanceof Number || value instanceof Boolean) {
      sb.append(value);
    } else {
      writeString(sb, value.toString());
    }
  }

  private static void writeString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  /** Header map as a list of "name: value" strings, for reports. */
  public static List<String> headerLines(Map<String, List<String>> headers) {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      for (String v : h.getValue()) {
        lines.add(h.getKey() + ": " + v);
      }
    }
    return lines;
  }
}
