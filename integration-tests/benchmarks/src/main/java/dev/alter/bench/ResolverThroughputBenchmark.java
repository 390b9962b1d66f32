package dev.alter.bench;

import dev.alter.it.harness.RecordingServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Section 5: resolves per second the resolver service sustains on this machine under wrk over
 * loopback, on each store, beside the ceiling the same load reaches on the service's cheapest
 * endpoint ({@code GET /healthz}) in the same run: that ceiling is what Jetty, Javalin, loopback
 * and the load generator leave on these cores, so the ratio shows how much the resolve itself
 * costs.
 */
final class ResolverThroughputBenchmark {
  static final double TARGET_PER_SECOND = 5000;
  private static final int GRANTS = 50;

  private final Settings settings;
  private final RecordingServer provider;
  private final Report report;
  private final ServiceLoad load;
  private final MarkdownTable table =
      new MarkdownTable(
          "Store",
          "Resolves/s",
          "p50",
          "p99",
          "Service CPU per resolve",
          "Ceiling: GET /healthz/s (same load, same run)",
          "Resolves / ceiling",
          "Target ≥ 5,000/s");

  ResolverThroughputBenchmark(
      Settings settings, RecordingServer provider, Report report, String wrk, Path workDir) {
    this.settings = settings;
    this.provider = provider;
    this.report = report;
    this.load = new ServiceLoad(settings, wrk, workDir);
  }

  void measure(StoreUnderTest store) throws InterruptedException, IOException {
    ProviderFixture fixture = new ProviderFixture(store.service, provider, "load");
    List<String> bodies =
        ServiceLoad.resolveBodies(fixture.createGrants(GRANTS, "load"), fixture.url());
    Map<String, String> headers =
        Map.of("Authorization", "Bearer " + fixture.app.apiKey, "Content-Type", "application/json");
    String resolveUrl = store.service.baseUrl() + "/v1/resolve";
    String healthUrl = store.service.baseUrl() + "/healthz";

    ServiceLoad.Measured ceiling = load.measure(healthUrl, "GET", Map.of(), List.of());
    ServiceLoad.Measured resolves = load.measure(resolveUrl, "POST", headers, bodies);
    String verdict =
        report.target(
            "resolver-service throughput on " + store.name,
            resolves.result().perSecond() >= TARGET_PER_SECOND,
            Format.count(resolves.result().perSecond()) + "/s",
            "≥ 5,000/s");
    double cpuPerResolve = resolves.cpuNanosPerRequest();
    table.row(
        store.name,
        Format.count(resolves.result().perSecond()),
        Format.millis(resolves.result().p50Nanos()),
        Format.millis(resolves.result().p99Nanos()),
        Format.microsPlain(cpuPerResolve)
            + " (≈ "
            + Format.count(2e9 / cpuPerResolve)
            + "/s if it had both cores)",
        Format.count(ceiling.result().perSecond()),
        Format.ratio(resolves.result().perSecond() / ceiling.result().perSecond()),
        verdict);
  }

  void report() {
    if (table.rowCount() == 0) {
      return; // every store failed or was skipped, and the report says so already
    }
    report.section(
        "5. Resolver-service throughput (target ≥ 5,000 resolves/s on 2 cores)",
        table,
        "wrk ("
            + ServiceLoad.WRK_THREADS
            + " threads, "
            + settings.loadConnections()
            + " keep-alive connections, HTTP/1.1) "
            + "over loopback, `POST /v1/resolve` cycling through "
            + GRANTS
            + " grants with a key pair each, "
            + Format.seconds(settings.loadWarmup())
            + " s warm-up then "
            + Format.seconds(settings.loadMeasure())
            + " s measured; the ceiling is the same load on `GET /healthz` (no authentication, no store), "
            + "measured just before on the same service. Every resolve is authenticated, looked up, HPKE-sealed "
            + "and audited (one row per resolve, group-committed with concurrent resolves' rows before it is "
            + "answered); a non-2xx answer or socket error fails the section. wrk shares the two cores with "
            + "the service, so resolves/s is a lower bound; the CPU column is the service's own user+system "
            + "time (/proc) per resolve.");
  }
}
