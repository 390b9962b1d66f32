package dev.alter.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load from wrk, a C load generator in its own process: it takes far less CPU per request than a
 * Java client, so more of the two cores is left to the service under test. Requests cycle through
 * the given bodies (a Lua script per run); anything but a 2xx answer is counted and reported, never
 * hidden.
 */
final class WrkLoad {
  private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([0-9.]+)(us|ms|s|m)");
  private static final Pattern PERCENTILE =
      Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE);
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  record Result(
      long requests,
      double perSecond,
      double p50Nanos,
      double p99Nanos,
      long errors,
      String output) {}

  private final String wrk;
  private final Path workDir;

  WrkLoad(String wrk, Path workDir) {
    this.wrk = wrk;
    this.workDir = workDir;
  }

  /**
   * @param bodies request bodies sent in turn; empty for a GET without body
   * @param threads wrk threads (event loops), each driving connections / threads connections
   */
  Result run(
      String url,
      String method,
      Map<String, String> headers,
      List<String> bodies,
      int connections,
      int threads,
      Duration duration)
      throws IOException, InterruptedException {
    Path script = Files.createTempFile(workDir, "wrk-", ".lua");
    Files.writeString(script, luaScript(method, headers, bodies), StandardCharsets.UTF_8);
    List<String> command =
        new ArrayList<>(
            List.of(
                wrk,
                "--latency",
                "-t",
                Integer.toString(threads),
                "-c",
                Integer.toString(connections),
                "-d",
                Math.max(1, duration.toSeconds()) + "s",
                "--timeout",
                "30s",
                "-s",
                script.toString(),
                url));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("wrk did not finish:\n" + output);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("wrk exited with " + process.exitValue() + ":\n" + output);
    }
    return parse(output);
  }

  static Result parse(String output) {
    Matcher total = TOTAL.matcher(output);
    Matcher rate = REQUESTS_PER_SECOND.matcher(output);
    if (!total.find() || !rate.find()) {
      throw new IllegalStateException("unreadable wrk output:\n" + output);
    }
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    Matcher percentile = PERCENTILE.matcher(output);
    while (percentile.find()) {
      double nanos = nanos(percentile.group(2), percentile.group(3));
      if (percentile.group(1).equals("50")) {
        p50 = nanos;
      } else {
        p99 = nanos;
      }
    }
    long errors = 0;
    Matcher non2xx = NON_2XX.matcher(output);
    if (non2xx.find()) {
      errors += Long.parseLong(non2xx.group(1));
    }
    Matcher socket = SOCKET_ERRORS.matcher(output);
    if (socket.find()) {
      for (int g = 1; g <= 4; g++) {
        errors += Long.parseLong(socket.group(g));
      }
    }
    return new Result(
        Long.parseLong(total.group(1)),
        Double.parseDouble(rate.group(1)),
        p50,
        p99,
        errors,
        output);
  }

  private static double nanos(String value, String unit) {
    double v = Double.parseDouble(value);
    return switch (unit) {
      case "us" -> v * 1e3;
      case "ms" -> v * 1e6;
      case "s" -> v * 1e9;
      case "m" -> v * 60e9;
      default -> throw new IllegalArgumentException(unit);
    };
  }

  /** Each wrk thread runs its own copy of the script and cycles through the bodies. */
  static String luaScript(String method, Map<String, String> headers, List<String> bodies) {
    StringBuilder lua = new StringBuilder("local bodies = {\n");
    for (String body : bodies) {
      lua.append("  ").append(luaString(body)).append(",\n");
    }
    lua.append("}\nlocal headers = {\n");
    headers.forEach(
        (name, value) ->
            lua.append("  [")
                .append(luaString(name))
                .append("] = ")
                .append(luaString(value))
                .append(",\n"));
    lua.append("}\nlocal next = 0\n")
        .append("request = function()\n")
        .append("  if #bodies == 0 then return wrk.format(")
        .append(luaString(method))
        .append(", nil, headers, nil) end\n")
        .append("  next = next % #bodies + 1\n")
        .append("  return wrk.format(")
        .append(luaString(method))
        .append(", nil, headers, bodies[next])\n")
        .append("end\n");
    return lua.toString();
  }

  /** A Lua string literal; the values here are JSON and header values, escaped byte for byte. */
  private static String luaString(String value) {
    StringBuilder sb = new StringBuilder("\"");
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f) {
        sb.append(String.format(Locale.ROOT, "\\%03d", c));
      } else {
        sb.append((char) c);
      }
    }
    return sb.append('"').toString();
  }
}
