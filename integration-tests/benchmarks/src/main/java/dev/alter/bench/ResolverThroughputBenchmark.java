package dev.alter.bench;

import dev.alter.contract.CredentialSealing;
import dev.alter.contract.X25519Keys;
import dev.alter.it.harness.Json;
import dev.alter.it.harness.RecordingServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Section 5: resolves per second the resolver service sustains on this machine under wrk over
 * loopback, on each store, beside the ceiling the same load reaches on the service's cheapest
 * endpoint ({@code GET /healthz}) in the same run: that ceiling is what Jetty, Javalin, loopback
 * and the load generator leave on these cores, so the ratio shows how much the resolve itself costs.
 */
final class ResolverThroughputBenchmark {
  static final double TARGET_PER_SECOND = 5000;
  private static final int GRANTS = 50;
  /** wrk event-loop threads: one per core of the machines this runs on. */
  private static final int WRK_THREADS = 2;

  private final Settings settings;
  private final RecordingServer provider;
  private final Report report;
  private final WrkLoad wrk;
  private final MarkdownTable table = new MarkdownTable("Store", "Resolves/s", "p50", "p99",
      "Service CPU per resolve", "Ceiling: GET /healthz/s (same load, same run)", "Resolves / ceiling",
      "Target ≥ 5,000/s");

  ResolverThroughputBenchmark(Settings settings, RecordingServer provider, Report report, String wrk, Path workDir) {
    this.settings = settings;
    this.provider = provider;
    this.report = report;
    this.wrk = new WrkLoad(wrk, workDir);
  }

  void measure(StoreUnderTest store) throws InterruptedException, IOException {
    ProviderFixture fixture = new ProviderFixture(store.service, provider, "load");
    List<String> bodies = resolveBodies(fixture.createGrants(GRANTS, "load"), fixture.url());
    Map<String, String> headers = Map.of("Authorization", "Bearer " + fixture.app.apiKey,
        "Content-Type", "application/json");
    String resolveUrl = store.service.baseUrl() + "/v1/resolve";
    String healthUrl = store.service.baseUrl() + "/healthz";

    Measured ceiling = measure(healthUrl, "GET", Map.of(), List.of());
    Measured resolves = measure(resolveUrl, "POST", headers, bodies);
    String verdict = report.target("resolver-service throughput on " + store.name,
        resolves.result.perSecond() >= TARGET_PER_SECOND, Format.count(resolves.result.perSecond()) + "/s",
        "≥ 5,000/s");
    double cpuPerResolve = resolves.serviceCpuNanos / (double) resolves.result.requests();
    table.row(store.name, Format.count(resolves.result.perSecond()),
        Format.millis(resolves.result.p50Nanos()), Format.millis(resolves.result.p99Nanos()),
        Format.microsPlain(cpuPerResolve) + " (≈ " + Format.count(2e9 / cpuPerResolve) + "/s if it had both cores)",
        Format.count(ceiling.result.perSecond()),
        Format.ratio(resolves.result.perSecond() / ceiling.result.perSecond()),
        verdict);
  }

  private record Measured(WrkLoad.Result result, long serviceCpuNanos) {}

  /** A warm-up window, then the measured one with the service's CPU time around it. */
  private Measured measure(String url, String method, Map<String, String> headers, List<String> bodies)
      throws IOException, InterruptedException {
    int connections = settings.loadConnections();
    wrk.run(url, method, headers, bodies, connections, WRK_THREADS, settings.loadWarmup());
    ProcessCpu before = ProcessCpu.descendants(c -> c.contains("alter-resolver-service"));
    WrkLoad.Result result = wrk.run(url, method, headers, bodies, connections, WRK_THREADS, settings.loadMeasure());
    long serviceCpu = ProcessCpu.descendants(c -> c.contains("alter-resolver-service")).nanosSince(before);
    if (result.errors() > 0 || result.requests() == 0) {
      throw new IllegalStateException(method + " " + url + ": " + result.errors() + " failed of "
          + result.requests() + " requests; wrk said:\n" + result.output());
    }
    return new Measured(result, serviceCpu);
  }

  /** One resolve body per grant, each with its own key pair, as separate agent processes would send. */
  private static List<String> resolveBodies(List<String> grants, String destinationUrl) {
    List<String> bodies = new ArrayList<>();
    for (String grant : grants) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("grant", grant);
      body.put("destination", Map.of("method", "GET", "url", destinationUrl));
      body.put("public_key", CredentialSealing.encodePublicKey(
          X25519Keys.rawPublicKey(X25519Keys.generate().getPublic())));
      bodies.add(Json.write(body));
    }
    return bodies;
  }

  private static String seconds(Duration duration) {
    return String.format(java.util.Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
  }

  void report() {
    if (table.rowCount() == 0) {
      return; // every store failed or was skipped, and the report says so already
    }
    report.section("5. Resolver-service throughput (target ≥ 5,000 resolves/s on 2 cores)", table,
        "wrk (" + WRK_THREADS + " threads, " + settings.loadConnections() + " keep-alive connections, HTTP/1.1) "
            + "over loopback, `POST /v1/resolve` cycling through " + GRANTS + " grants with a key pair each, "
            + seconds(settings.loadWarmup()) + " s warm-up then " + seconds(settings.loadMeasure())
            + " s measured; the ceiling is the same load on `GET /healthz` (no authentication, no store), "
            + "measured just before on the same service. Every resolve is authenticated, looked up, HPKE-sealed "
            + "and audited (one row per resolve, group-committed with concurrent resolves' rows before it is "
            + "answered); a non-2xx answer or socket error fails the section. wrk shares the two cores with "
            + "the service, so resolves/s is a lower bound; the CPU column is the service's own user+system "
            + "time (/proc) per resolve.");
  }
}
