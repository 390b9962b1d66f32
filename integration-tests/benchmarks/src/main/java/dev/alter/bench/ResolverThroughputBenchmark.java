package dev.alter.bench;

import dev.alter.it.harness.RecordingServer;

/**
 * Section 5: resolves per second the resolver service sustains on this machine, with the
 * load generator in this JVM over loopback (both share the same cores), on each store.
 */
final class ResolverThroughputBenchmark {
  static final double TARGET_PER_SECOND = 5000;
  private static final int GRANTS = 50;

  private final Settings settings;
  private final RecordingServer provider;
  private final Report report;
  private final MarkdownTable table = new MarkdownTable("Store", "Resolves/s", "p50", "p99",
      "Service CPU per resolve", "Target ≥ 5,000/s");

  ResolverThroughputBenchmark(Settings settings, RecordingServer provider, Report report) {
    this.settings = settings;
    this.provider = provider;
    this.report = report;
  }

  void measure(StoreUnderTest store) throws InterruptedException {
    ProviderFixture fixture = new ProviderFixture(store.service, provider, "load");
    ResolveLoadGenerator load = new ResolveLoadGenerator(store.service.baseUrl(), fixture.app.apiKey,
        fixture.createGrants(GRANTS, "load"), fixture.url());
    load.run(settings.loadConnections(), settings.loadWarmup());
    ProcessCpu before = ProcessCpu.descendants(c -> c.contains("alter-resolver-service"));
    ResolveLoadGenerator.Result result = load.run(settings.loadConnections(), settings.loadMeasure());
    long serviceCpu = ProcessCpu.descendants(c -> c.contains("alter-resolver-service")).nanosSince(before);
    if (result.errors() > 0) {
      throw new IllegalStateException("resolve load on " + store.name + ": " + result.errors()
          + " failed resolves (first: " + result.firstError() + ")");
    }
    String verdict = report.target("resolver-service throughput on " + store.name,
        result.perSecond() >= TARGET_PER_SECOND, Format.count(result.perSecond()) + "/s", "≥ 5,000/s");
    double cpuPerResolve = serviceCpu / (double) result.resolves();
    table.row(store.name, Format.count(result.perSecond()),
        Format.millis(Stats.percentile(result.sortedLatencies(), 0.5)),
        Format.millis(Stats.percentile(result.sortedLatencies(), 0.99)),
        Format.microsPlain(cpuPerResolve) + " (≈ " + Format.count(2e9 / cpuPerResolve) + "/s if it had both cores)",
        verdict);
  }

  private static String seconds(java.time.Duration duration) {
    return String.format(java.util.Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
  }

  void report() {
    if (table.rowCount() == 0) {
      return; // every store failed or was skipped, and the report says so already
    }
    report.section("5. Resolver-service throughput (target ≥ 5,000 resolves/s on 2 cores)", table,
        "Java load generator in the benchmark JVM: " + settings.loadConnections() + " keep-alive "
            + "connections (one thread each, JDK HttpClient, HTTP/1.1) over loopback, `POST /v1/resolve` "
            + "round-robin over " + GRANTS + " grants with a key pair each, " + seconds(settings.loadWarmup())
            + " s warm-up then " + seconds(settings.loadMeasure()) + " s measured. Every resolve is "
            + "authenticated, looked up, HPKE-sealed and audited (one row per resolve, group-committed with "
            + "concurrent resolves' rows before it is answered). The load "
            + "generator runs on the same cores as the service, so resolves/s is a lower bound; the CPU "
            + "column is the service's own user+system time (/proc) per resolve.");
  }
}
