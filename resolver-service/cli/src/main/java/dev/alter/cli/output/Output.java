package dev.alter.cli.output;

import dev.alter.cli.http.ApiResponse;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where commands print. Results go to stdout (raw API JSON with {@code --json}, compact text
 * otherwise); warnings go to stderr so that stdout stays parseable. Everything passes through the
 * {@link Redactor}.
 */
public final class Output {
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;
  private final Redactor redactor;

  public Output(PrintWriter out, PrintWriter err, boolean json, Redactor redactor) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.redactor = redactor;
  }

  public boolean json() {
    return json;
  }

  /** The API's JSON exactly as the service sent it. */
  public void raw(ApiResponse response) {
    rawJson(response.body());
  }

  public void rawJson(String jsonText) {
    String text = jsonText == null ? "" : jsonText.strip();
    out.println(redactor.redact(text));
    out.flush();
  }

  public void line(String text) {
    out.println(redactor.redact(text));
    out.flush();
  }

  public void table(Table table) {
    out.print(redactor.redact(table.render()));
    out.flush();
  }

  /** Aligned {@code key value} lines, in insertion order; null values show "-". */
  public void fields(Fields fields) {
    int width = fields.values.keySet().stream().mapToInt(String::length).max().orElse(0);
    StringBuilder text = new StringBuilder();
    fields.values.forEach(
        (key, value) ->
            text.append(key)
                .append(" ".repeat(width - key.length() + 2))
                .append(value == null || value.isEmpty() ? "-" : value)
                .append('\n'));
    out.print(redactor.redact(text.toString()));
    out.flush();
  }

  public void warn(String text) {
    err.println(redactor.redact("warning: " + text));
    err.flush();
  }

  /** An ordered set of labelled values for {@link #fields}. */
  public static final class Fields {
    private final Map<String, String> values = new LinkedHashMap<>();

    public Fields add(String key, String value) {
      values.put(key, value);
      return this;
    }
  }
}
