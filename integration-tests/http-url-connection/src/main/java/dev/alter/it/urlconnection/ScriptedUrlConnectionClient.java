package dev.alter.it.urlconnection;

import dev.alter.it.child.ChildReport;
import dev.alter.it.child.CommandLoop;
import dev.alter.it.child.RequestLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An ordinary application using {@code java.net.HttpURLConnection}, driven line by line from stdin:
 * {@code request <RequestLine>} sends one request with a buffered body (if any); {@code fixed
 * <RequestLine>} and {@code chunked <RequestLine>} stream the body in fixed-length or chunked mode.
 * Redirects {@code NEVER} turns {@code setInstanceFollowRedirects} off; otherwise the JDK follows
 * them itself.
 *
 * <p>The report is what the application can observe: {@code getRequestProperties()} before
 * connecting, {@code getRequestProperty(name)} after the response for the headers it set and for
 * the credential headers a secret could own, the final URL and the response. With {@code
 * -Dapp.jdk.http.log=true} the JDK's own {@code sun.net.www.protocol.http.HttpURLConnection} logger
 * prints at FINEST to stderr. Tests check the credential is in none of it.
 */
public final class ScriptedUrlConnectionClient {
  /** Headers a secret's template may own: the app asks for them after the response. */
  private static final List<String> CREDENTIAL_HEADERS =
      List.of("Authorization", "DD-API-KEY", "DD-APPLICATION-KEY", "X-Api-Key", "x-api-key");

  public static void main(String[] args) throws Exception {
    if (Boolean.getBoolean("app.jdk.http.log")) {
      Logger logger = Logger.getLogger("sun.net.www.protocol.http.HttpURLConnection");
      ConsoleHandler handler = new ConsoleHandler();
      handler.setLevel(Level.ALL);
      logger.addHandler(handler);
      logger.setLevel(Level.ALL);
    }
    ChildReport.create()
        .put("ready", true)
        .put("java_version", Runtime.version().feature())
        .print();
    CommandLoop loop = CommandLoop.create();
    for (String bodyMode : new String[] {"request", "fixed", "chunked"}) {
      loop.on(bodyMode, line -> request(bodyMode, RequestLine.parse(line)));
    }
    loop.run();
  }

  static ChildReport request(String bodyMode, RequestLine line) {
    long started = System.nanoTime();
    ChildReport report = ChildReport.create();
    try {
      HttpURLConnection connection = (HttpURLConnection) new URL(line.url).openConnection();
      connection.setConnectTimeout(10_000);
      connection.setReadTimeout(20_000);
      connection.setRequestMethod(line.method);
      connection.setInstanceFollowRedirects(!"NEVER".equals(line.redirects));
      for (String[] header : line.headers) {
        connection.addRequestProperty(header[0], header[1]);
      }
      report.put(
          "request_properties_before", ChildReport.headerLines(connection.getRequestProperties()));
      if (line.body != null) {
        byte[] body = line.body.getBytes(StandardCharsets.UTF_8);
        connection.setDoOutput(true);
        if (bodyMode.equals("fixed")) {
          connection.setFixedLengthStreamingMode(body.length);
        } else if (bodyMode.equals("chunked")) {
          connection.setChunkedStreamingMode(7);
        }
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int status = connection.getResponseCode();
      report
          .put("status", status)
          .put("final_url", connection.getURL().toString())
          .put(
              "body",
              read(status >= 400 ? connection.getErrorStream() : connection.getInputStream()))
          .put("response_headers", responseHeaders(connection))
          .put("request_properties_after", propertiesAfter(connection, line));
    } catch (Exception e) {
      report.error(e);
    }
    return report.put("elapsed_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** {@code getRequestProperties()} throws once connected; single properties still answer. */
  private static Map<String, String> propertiesAfter(
      HttpURLConnection connection, RequestLine line) {
    Map<String, String> after = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(CREDENTIAL_HEADERS);
    for (String[] header : line.headers) {
      names.add(header[0]);
    }
    for (String name : names) {
      after.put(name, connection.getRequestProperty(name));
    }
    return after;
  }

  private static List<String> responseHeaders(HttpURLConnection connection) {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, List<String>> h : connection.getHeaderFields().entrySet()) {
      for (String v : h.getValue()) {
        lines.add((h.getKey() == null ? "" : h.getKey() + ": ") + v);
      }
    }
    return lines;
  }

  private static String read(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try (InputStream stream = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      stream.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
