package dev.alter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.bench.child.ColdResolveProbe;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildResult;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Section 4: cold resolve — the first tagged request of a grant, from the app's call until the
 * response is back, while the agent resolves the credential (agent → resolver service → store →
 * sealed answer → open → inject). Many distinct grants, each cold once, in one app under the agent;
 * the baseline is the second (cached) request on the same grant right after.
 */
final class ColdResolveBenchmark {
  private static final int WARMUP_GRANTS = 5;

  private final Settings settings;
  private final RecordingServer provider;
  private final Path workDir;
  private final MarkdownTable table =
      new MarkdownTable(
          "Store",
          "Cold first request p50 / p99",
          "Cached request p50 / p99",
          "Added by the resolve (p50)",
          "Grants");

  ColdResolveBenchmark(Settings settings, RecordingServer provider, Path workDir) {
    this.settings = settings;
    this.provider = provider;
    this.workDir = workDir;
  }

  void measure(StoreUnderTest store) {
    ProviderFixture fixture = new ProviderFixture(store.service, provider, "cold");
    List<String> grants = fixture.createGrants(WARMUP_GRANTS + settings.coldGrants(), "cold");
    Path grantsFile = workDir.resolve("cold-grants-" + RandomHex.of(3) + ".txt");
    try {
      Files.write(grantsFile, grants);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChildJvm jvm = ChildJvm.create().jvmArgument("-XX:TieredStopAtLevel=4");
    ClientClasspath.entries().forEach(jvm::classpathEntry);
    ChildResult result =
        jvm.withAgent()
            .resolver(store.service.baseUrl(), fixture.app.apiKey)
            .main(
                ColdResolveProbe.class,
                "jdk",
                fixture.url(),
                grantsFile.toString(),
                Integer.toString(WARMUP_GRANTS))
            .timeout(Duration.ofSeconds(60 + settings.coldGrants()))
            .run()
            .requireSuccess();
    JsonNode report = result.report();
    if (report.path("errors").asLong() != 0) {
      throw new IllegalStateException(
          "cold resolve on "
              + store.name
              + ": "
              + report.path("first_error").asText()
              + "\n"
              + result.describe());
    }
    provider.clear();
    long[] cold = longs(report.path("cold_ns"));
    long[] warm = longs(report.path("warm_ns"));
    table.row(
        store.name,
        Format.millis(Stats.percentile(cold, 0.5))
            + " / "
            + Format.millis(Stats.percentile(cold, 0.99)),
        Format.millis(Stats.percentile(warm, 0.5))
            + " / "
            + Format.millis(Stats.percentile(warm, 0.99)),
        Format.millis(Stats.percentile(cold, 0.5) - Stats.percentile(warm, 0.5)),
        Integer.toString(cold.length));
  }

  void report(Report report) {
    if (table.rowCount() == 0) {
      return; // every store failed or was skipped, and the report says so already
    }
    report.section(
        "4. Cold resolve (first tagged request of a grant, until the response is back)",
        table,
        "JDK HttpClient under the agent, plain-HTTP stand-in provider; "
            + settings.coldGrants()
            + " distinct grants per store (after "
            + WARMUP_GRANTS
            + " uncounted warm-up grants), each "
            + "sent twice in a row: the first request waits for the agent's resolve (HTTP to the service, "
            + "store lookup, audit write, HPKE seal/open), the second is served from the cache. "
            + "No target was set for this figure; it is paid once per grant per TTL.");
  }

  private static long[] longs(JsonNode array) {
    List<Long> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asLong()));
    return values.stream().mapToLong(Long::longValue).toArray();
  }
}
