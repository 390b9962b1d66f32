package dev.alter.bench;

import dev.alter.it.harness.Json;
import dev.alter.it.harness.RecordingServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Section 7: what the embedded store's durable commit costs. Two services on the embedded H2 store
 * take the same load in alternating rounds of one run: one as shipped (a commit is written to the
 * file before it returns) and one with H2's default 500 ms write delay (a commit returns before its
 * data reaches the file; {@code kill -9} loses it). Measured: resolves/s (each waits for its
 * group-committed audit row) and admin writes/s (grant creates: one transaction holding the grant
 * and its audit row).
 */
final class DurabilityCostBenchmark {
  private static final int GRANTS = 50;
  private static final int WRITE_BODIES = 200;

  private final Settings settings;
  private final RecordingServer provider;
  private final Report report;
  private final ServiceLoad load;
  private final Path workDir;

  DurabilityCostBenchmark(
      Settings settings, RecordingServer provider, Report report, String wrk, Path workDir) {
    this.settings = settings;
    this.provider = provider;
    this.report = report;
    this.load = new ServiceLoad(settings, wrk, workDir);
    this.workDir = workDir;
  }

  /** One service and its loads, with the figures of every round. */
  private final class Variant {
    final StoreUnderTest store;
    final String resolveUrl;
    final String grantsUrl;
    final Map<String, String> appHeaders;
    final Map<String, String> adminHeaders;
    final List<String> resolveBodies;
    final List<String> writeBodies = new ArrayList<>();
    final List<Double> resolves = new ArrayList<>();
    final List<Double> writes = new ArrayList<>();
    final List<Double> cpuPerResolve = new ArrayList<>();
    final List<Double> cpuPerWrite = new ArrayList<>();

    Variant(StoreUnderTest store) {
      this.store = store;
      ProviderFixture fixture = new ProviderFixture(store.service, provider, "durability");
      resolveBodies =
          ServiceLoad.resolveBodies(fixture.createGrants(GRANTS, "durability"), fixture.url());
      for (int i = 0; i < WRITE_BODIES; i++) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("secret_id", fixture.secretId);
        body.put("label", "write-" + i);
        body.put("principal", Map.of("type", "system", "label", "write-" + i));
        writeBodies.add(Json.write(body));
      }
      resolveUrl = store.service.baseUrl() + "/v1/resolve";
      grantsUrl = store.service.baseUrl() + "/v1/grants";
      appHeaders =
          Map.of(
              "Authorization", "Bearer " + fixture.app.apiKey, "Content-Type", "application/json");
      adminHeaders =
          Map.of(
              "Authorization",
              "Bearer " + store.service.adminKey(),
              "Content-Type",
              "application/json");
    }

    void measureRound() throws IOException, InterruptedException {
      ServiceLoad.Measured r = load.measure(resolveUrl, "POST", appHeaders, resolveBodies);
      resolves.add(r.result().perSecond());
      cpuPerResolve.add(r.cpuNanosPerRequest());
      ServiceLoad.Measured w = load.measure(grantsUrl, "POST", adminHeaders, writeBodies);
      writes.add(w.result().perSecond());
      cpuPerWrite.add(w.cpuNanosPerRequest());
    }
  }

  void run() throws IOException, InterruptedException {
    MarkdownTable table =
        new MarkdownTable(
            "Embedded H2",
            "Resolves/s",
            "Service CPU per resolve",
            "Admin writes/s (grant creates)",
            "Service CPU per write",
            "Survives kill -9");
    try (StoreUnderTest durable = StoreUnderTest.h2(workDir.resolve("service-h2-durable"));
        StoreUnderTest delayed =
            StoreUnderTest.h2DelayedWrite(workDir.resolve("service-h2-delayed-write"))) {
      Variant shipped = new Variant(durable);
      Variant old = new Variant(delayed);
      int rounds = settings.forks();
      for (int round = 0; round < rounds; round++) {
        // alternate which goes first, so neither always runs on the warmer machine
        for (Variant v : round % 2 == 0 ? List.of(shipped, old) : List.of(old, shipped)) {
          v.measureRound();
        }
      }
      row(table, "durable commit (as shipped, WRITE_DELAY=0)", shipped, "yes");
      row(table, "delayed write (H2 default, WRITE_DELAY=500)", old, "no");
      table.row(
          "durable / delayed",
          ratio(shipped.resolves, old.resolves),
          ratio(shipped.cpuPerResolve, old.cpuPerResolve),
          ratio(shipped.writes, old.writes),
          ratio(shipped.cpuPerWrite, old.cpuPerWrite),
          "");
    }
    report.section(
        "7. What durable commits cost on the embedded store",
        table,
        "Two services on fresh embedded H2 stores, the same wrk load ("
            + ServiceLoad.WRK_THREADS
            + " threads, "
            + settings.loadConnections()
            + " keep-alive connections, "
            + Format.seconds(settings.loadWarmup())
            + " s warm-up then "
            + Format.seconds(settings.loadMeasure())
            + " s measured per figure), "
            + settings.forks()
            + " rounds alternating which service goes first; medians of the rounds, the rounds' "
            + "range in brackets. Resolves "
            + "cycle through "
            + GRANTS
            + " grants (each answered after its audit row is group-committed); admin "
            + "writes are `POST /v1/grants`, one transaction with the grant and its audit row each. The delayed-write "
            + "service runs H2's default write delay through ALTER_DB_URL, as the service did before; it loses "
            + "acknowledged writes on kill -9 (CrashDurabilityIT). Neither setting fsyncs a commit (docs/operations.md, Durability).");
  }

  private static void row(MarkdownTable table, String name, Variant v, String survives) {
    table.row(
        name,
        Format.count(Stats.median(v.resolves)) + " " + range(v.resolves),
        Format.microsPlain(Stats.median(v.cpuPerResolve)),
        Format.count(Stats.median(v.writes)) + " " + range(v.writes),
        Format.microsPlain(Stats.median(v.cpuPerWrite)),
        survives);
  }

  /**
   * The rounds' lowest and highest rate, so the noise of a shared machine shows beside the median.
   */
  private static String range(List<Double> perRound) {
    return "("
        + Format.count(Collections.min(perRound))
        + "–"
        + Format.count(Collections.max(perRound))
        + ")";
  }

  private static String ratio(List<Double> shipped, List<Double> old) {
    return Format.ratio(Stats.median(shipped) / Stats.median(old));
  }
}
