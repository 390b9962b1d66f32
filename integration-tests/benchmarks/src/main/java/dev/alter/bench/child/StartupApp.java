package dev.alter.bench.child;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The start-up subject: a small app that makes one HTTPS GET through each client family and exits.
 * It reports the statuses and its peak resident set ({@code VmHWM} from {@code /proc/self/status})
 * as one JSON line; the benchmark times the whole process.
 *
 * <pre>StartupApp HTTPS_URL</pre>
 *
 * <p>With {@value #NO_REQUESTS} instead of a URL it makes no request at all: the hello world of the
 * start-up table, which loads no HTTP client.
 */
public final class StartupApp {
  public static final String NO_REQUESTS = "--no-requests";
  private static final String[] FAMILIES = {"jdk", "okhttp", "apache-classic", "apache-async"};

  private StartupApp() {}

  public static void main(String[] args) throws Exception {
    JsonLine report = new JsonLine();
    long failed = 0;
    String[] families = NO_REQUESTS.equals(args[0]) ? new String[0] : FAMILIES;
    for (String family : families) {
      try (LoopClient client = LoopClient.create(family)) {
        int status = client.get(args[0], null, null);
        report.put(family, status);
        failed += status == 200 ? 0 : 1;
      }
    }
    report.put("failed", failed).put("vm_hwm_kib", peakResidentKib()).print();
  }

  static long peakResidentKib() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
