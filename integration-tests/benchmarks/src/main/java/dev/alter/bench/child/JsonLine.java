package dev.alter.bench.child;

import java.util.Map;

/** Writes one flat JSON object per line on stdout: how child apps report to the benchmark. */
final class JsonLine {
  private final StringBuilder text = new StringBuilder("{");

  JsonLine put(String name, long value) {
    return raw(name, Long.toString(value));
  }

  JsonLine put(String name, String value) {
    return raw(name, value == null ? "null" : quote(value));
  }

  JsonLine put(String name, long[] values) {
    StringBuilder array = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      array.append(i == 0 ? "" : ",").append(values[i]);
    }
    return raw(name, array.append(']').toString());
  }

  JsonLine putAll(Map<String, Long> values) {
    values.forEach(this::put);
    return this;
  }

  private JsonLine raw(String name, String json) {
    if (text.length() > 1) {
      text.append(',');
    }
    text.append(quote(name)).append(':').append(json);
    return this;
  }

  void print() {
    System.out.println(text + "}");
    System.out.flush();
  }

  private static String quote(String value) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (c < 0x20) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    return quoted.append('"').toString();
  }
}
