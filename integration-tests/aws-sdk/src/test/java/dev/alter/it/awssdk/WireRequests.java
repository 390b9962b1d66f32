package dev.alter.it.awssdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP/1.1 request heads in the bytes a {@code RecordingTcpProxy} relayed (both directions,
 * ISO-8859-1): request line and headers, names lower-cased, for asserting what reached the server.
 */
final class WireRequests {
  private static final Pattern REQUEST_LINE =
      Pattern.compile("(GET|PUT|POST|DELETE|HEAD) (/\\S*) HTTP/1\\.1\r\n");

  private WireRequests() {}

  static final class Head {
    final String method;
    final String target;
    final Map<String, String> headers;

    Head(String method, String target, Map<String, String> headers) {
      this.method = method;
      this.target = target;
      this.headers = headers;
    }

    String header(String name) {
      return headers.get(name);
    }

    @Override
    public String toString() {
      return method + " " + target + " " + headers.keySet();
    }
  }

  static List<Head> parse(String captured) {
    List<Head> heads = new ArrayList<>();
    Matcher line = REQUEST_LINE.matcher(captured);
    while (line.find()) {
      int end = captured.indexOf("\r\n\r\n", line.end());
      if (end < 0) {
        end = captured.length();
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (String header : captured.substring(line.end(), end).split("\r\n")) {
        int colon = header.indexOf(':');
        if (colon > 0) {
          headers.put(
              header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              header.substring(colon + 1).trim());
        }
      }
      heads.add(new Head(line.group(1), line.group(2), headers));
    }
    return heads;
  }
}
