package dev.alter.it.apache;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads back what {@code org.apache.hc.client5.http.wire} printed as sent: the classic client logs
 * quoted text per line, the async client a 16-byte hex dump. Returns the bytes as logged, so a
 * masked value reads {@code [REDACTED]} and an unmasked one would read as itself.
 */
final class WireLog {
  private static final Pattern CLASSIC = Pattern.compile("http\\.wire - \\S+ >> \"(.*)\"$");
  private static final Pattern ASYNC =
      Pattern.compile("http\\.wire - \\S+ >> (.{17})((?: [0-9a-f]{2})+)$");

  private WireLog() {}

  static String outgoing(String log) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (String line : log.split("\n")) {
      Matcher classic = CLASSIC.matcher(line);
      if (classic.find()) {
        String text = classic.group(1).replace("[\\r]", "\r").replace("[\\n]", "\n");
        bytes.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        continue;
      }
      Matcher async = ASYNC.matcher(line);
      if (async.find()) {
        for (String hex : async.group(2).trim().split(" ")) {
          bytes.write(Integer.parseInt(hex, 16));
        }
      }
    }
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }
}
