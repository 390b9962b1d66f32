package dev.alter.bench;

import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.ResolverServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Section 10: audit export throughput. Writes audit events through the admin API, then reads them
 * all with {@code GET /v1/audit/export} pages of 1000: the first pass also numbers the events in
 * commit order (the sequencer), a second pass only reads. Events per second of each, per store.
 */
final class AuditExportBenchmark {
  private final Settings settings;
  private final List<String[]> rows = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  AuditExportBenchmark(Settings settings) {
    this.settings = settings;
  }

  void measure(String storeName, ResolverServiceProcess service) throws Exception {
    int events = settings.mode().equals("smoke") ? 50 : 5000;
    AdminClient admin = service.admin();
    // every app creation writes two events (app.create, app_key.create)
    for (int i = 0; i < events / 2; i++) {
      admin.createApp("export-bench-" + i + "-" + RandomHex.of(3));
    }
    long first = readAll(service);
    long firstNanos = lastNanos;
    long second = readAll(service);
    long secondNanos = lastNanos;
    rows.add(
        new String[] {
          storeName,
          Format.count(first),
          Format.count(first * 1e9 / firstNanos),
          Format.count(second * 1e9 / secondNanos)
        });
  }

  private long lastNanos;

  private long readAll(ResolverServiceProcess service) throws IOException, InterruptedException {
    String cursor = "0";
    long n = 0;
    long start = System.nanoTime();
    while (true) {
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(service.baseUrl() + "/v1/audit/export?limit=1000&after=" + cursor))
                  .header("Authorization", "Bearer " + service.adminKey())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (page.statusCode() != 200) {
        throw new IllegalStateException("export answered " + page.statusCode());
      }
      String next = page.headers().firstValue("Alter-Next-Cursor").orElseThrow();
      long lines = page.body().chars().filter(c -> c == '\n').count();
      if (lines == 0) {
        break;
      }
      n += lines;
      cursor = next;
    }
    lastNanos = System.nanoTime() - start;
    return n;
  }

  void report(Report report) {
    MarkdownTable table =
        new MarkdownTable(
            "store", "events", "first read (numbering + read), events/s", "re-read, events/s");
    for (String[] row : rows) {
      table.row(row);
    }
    report.section(
        "10. Audit export throughput",
        table,
        "One client reads GET /v1/audit/export?limit=1000 from cursor 0 to the end. The first pass"
            + " includes numbering the events in commit order (one UPDATE per event, in batches of"
            + " 5000 under the sequencer's row lock); a re-read only reads.");
  }
}
