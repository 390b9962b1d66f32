package dev.alter.bench.child;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
  /** Bounds the memory of one window: latencies beyond this many are not recorded. */
  private static final int MAX_SAMPLES = 2_000_000;

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
      BufferedReader commands =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = commands.readLine()) != null) {
        String[] command = line.trim().split("\\s+");
        if (command.length == 3 && command[0].equals("run")) {
          window(
                  client,
                  url,
                  header,
                  value,
                  Long.parseLong(command[1]),
                  Integer.parseInt(command[2]))
              .print();
        } else if (!line.isBlank()) {
          new JsonLine().put("error", "unknown command: " + line).print();
        }
      }
    }
  }

  private static JsonLine window(
      LoopClient client, String url, String header, String value, long millis, int threads)
      throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    int perThread = MAX_SAMPLES / threads;
    long[][] samples = new long[threads][perThread];
    int[] counts = new int[threads];
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    long started = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int index = t;
      Thread worker =
          new Thread(
              () -> {
                long[] mine = samples[index];
                int n = 0;
                while (n < mine.length) {
                  long begin = System.nanoTime();
                  if (begin >= deadline) {
                    break;
                  }
                  try {
                    int status = client.get(url, header, value);
                    if (status != 200) {
                      errors.incrementAndGet();
                      firstError.compareAndSet(null, "status " + status);
                      continue;
                    }
                  } catch (Exception e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e.toString());
                    continue;
                  }
                  mine[n++] = System.nanoTime() - begin;
                }
                counts[index] = n;
              },
              "loop-" + t);
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    long elapsed = System.nanoTime() - started;
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(samples[t], 0, all, at, counts[t]);
      at += counts[t];
    }
    Arrays.sort(all);
    return new JsonLine()
        .put("requests", total)
        .put("errors", errors.get())
        .put("first_error", firstError.get())
        .put("elapsed_ns", elapsed)
        .put("p50_ns", percentile(all, 0.50))
        .put("p99_ns", percentile(all, 0.99));
  }

  static long percentile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return -1;
    }
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
