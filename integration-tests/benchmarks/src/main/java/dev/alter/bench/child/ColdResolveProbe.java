package dev.alter.bench.child;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Times the first tagged request of each grant (its credential is not cached yet, so the agent
 * resolves it before the request goes out) and, as the baseline, a second request on the same grant
 * right after (cached). The first {@code WARMUP} grants are sent but not counted: they pay for
 * class loading and the first compilation, which is start-up cost, not resolve cost.
 *
 * <pre>ColdResolveProbe FAMILY URL GRANTS_FILE WARMUP</pre>
 *
 * Prints one JSON line: {@code cold_ns} and {@code warm_ns} arrays, {@code errors}.
 */
public final class ColdResolveProbe {
  private ColdResolveProbe() {}

  public static void main(String[] args) throws Exception {
    String url = args[1];
    List<String> grants = Files.readAllLines(Path.of(args[2]));
    int warmup = Integer.parseInt(args[3]);
    long[] cold = new long[Math.max(0, grants.size() - warmup)];
    long[] warm = new long[cold.length];
    long errors = 0;
    String firstError = null;
    try (LoopClient client = LoopClient.create(args[0])) {
      for (int i = 0; i < grants.size(); i++) {
        String grant = grants.get(i).trim();
        long begin = System.nanoTime();
        int first = send(client, url, grant);
        long coldNs = System.nanoTime() - begin;
        begin = System.nanoTime();
        int second = send(client, url, grant);
        long warmNs = System.nanoTime() - begin;
        if (first != 200 || second != 200) {
          errors++;
          if (firstError == null) {
            firstError = "statuses " + first + "/" + second + " for grant #" + i;
          }
        }
        if (i >= warmup) {
          cold[i - warmup] = coldNs;
          warm[i - warmup] = warmNs;
        }
      }
    }
    new JsonLine()
        .put("errors", errors)
        .put("first_error", firstError)
        .put("cold_ns", cold)
        .put("warm_ns", warm)
        .print();
  }

  /** The status, or -1 when the client threw (e.g. the agent failed the request closed). */
  private static int send(LoopClient client, String url, String grant) {
    try {
      return client.get(url, LoopClient.GRANT_HEADER, grant);
    } catch (Exception e) {
      System.err.println("request failed: " + e);
      return -1;
    }
  }
}
