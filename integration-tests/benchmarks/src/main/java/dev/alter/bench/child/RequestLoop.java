package dev.alter.bench.child;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The measured app: one client of one family sending GETs in a closed loop, each with one header
 * (its own key, or {@code alter-grant} when tagged; none behind a proxy that adds the key), whose
 * value comes from the environment ({@value #HEADER_VALUE_ENV}). It runs as a child JVM (with or
 * without the agent) and takes commands on stdin, one per line: {@code run MILLIS THREADS},
 * answering each with a JSON line: requests completed, errors, the elapsed time and latency
 * percentiles of that window. The benchmark issues a warm-up run first and ignores it. Exits when
 * stdin closes.
 *
 * <pre>RequestLoop FAMILY URL HEADER|-</pre>
 */
public final class RequestLoop {
  public static final String HEADER_VALUE_ENV = "BENCH_HEADER_VALUE";

  private RequestLoop() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: RequestLoop FAMILY URL HEADER|-");
    }
    String url = args[1];
    String header = args[2].equals("-") ? null : args[2];
    String value = header == null ? null : System.getenv(HEADER_VALUE_ENV);
    if (header != null && value == null) {
      throw new IllegalArgumentException(HEADER_VALUE_ENV + " must hold the value of " + header);
    }
    try (LoopClient client = LoopClient.create(args[0])) {
      LoopThreads loop = new LoopThreads(client, url, header, value);
      BufferedReader commands =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = commands.readLine()) != null) {
        String[] command = line.trim().split("\\s+");
        if (command.length == 3 && command[0].equals("run")) {
          loop.window(Long.parseLong(command[1]), Integer.parseInt(command[2])).print();
        } else if (!line.isBlank()) {
          new JsonLine().put("error", "unknown command: " + line).print();
        }
      }
    }
  }

  static long percentile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return -1;
    }
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
