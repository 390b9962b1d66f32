package dev.alter.it.child;

import java.util.ArrayList;
import java.util.List;

/**
 * One request a scripted child app should send, as a single stdin line: TAB-separated {@code
 * key=value} fields ({@code method}, {@code url}, {@code body}, {@code redirects}, and {@code
 * header=Name: value} any number of times), with {@code \t}, {@code \n} and {@code \\} escaped. The
 * test side builds lines with {@code dev.alter.it.harness.ChildRequest}.
 */
public final class RequestLine {
  public String method = "GET";
  public String url;
  public String body;

  /** {@code NORMAL} (the default), {@code NEVER} or {@code ALWAYS}. */
  public String redirects = "NORMAL";

  public final List<String[]> headers = new ArrayList<>();

  public static RequestLine parse(String line) {
    RequestLine request = new RequestLine();
    for (String field : line.split("\t")) {
      int eq = field.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = field.substring(0, eq);
      String value = unescape(field.substring(eq + 1));
      switch (key) {
        case "method":
          request.method = value;
          break;
        case "url":
          request.url = value;
          break;
        case "body":
          request.body = value;
          break;
        case "redirects":
          request.redirects = value;
          break;
        case "header":
          int colon = value.indexOf(':');
          request.headers.add(
              new String[] {value.substring(0, colon), value.substring(colon + 1).trim()});
          break;
        default:
          throw new IllegalArgumentException("unknown field " + key);
      }
    }
    if (request.url == null) {
      throw new IllegalArgumentException("request line without url");
    }
    return request;
  }

  public static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
  }

  static String unescape(String value) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        char n = value.charAt(++i);
        sb.append(n == 't' ? '\t' : n == 'n' ? '\n' : n);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
