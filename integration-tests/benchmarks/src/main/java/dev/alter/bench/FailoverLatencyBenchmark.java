package dev.alter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.bench.child.ColdResolveProbe;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildResult;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Section 12: what agent fail-over adds to a cold resolve when the first listed replica is down
 * (its port refuses connections) against the same list with the first replica up. The same probe as
 * section 4, one app per row, in one run against the same service on the embedded store.
 */
final class FailoverLatencyBenchmark {
  private static final int WARMUP_GRANTS = 5;

  private final Settings settings;
  private final RecordingServer provider;
  private final Path workDir;
  private final MarkdownTable table =
      new MarkdownTable(
          "Resolver list", "Cold request p50", "p99", "max", "vs first replica up (p50)", "Grants");

  FailoverLatencyBenchmark(Settings settings, RecordingServer provider, Path workDir) {
    this.settings = settings;
    this.provider = provider;
    this.workDir = workDir;
  }

  void run(StoreUnderTest store, Report report) throws IOException {
    ProviderFixture fixture = new ProviderFixture(store.service, provider, "failover");
    String up = store.service.baseUrl();
    String down = "http://127.0.0.1:" + refusingPort();
    long[] baseline = coldNanos(fixture, up);
    long[] failover = coldNanos(fixture, down + "," + up);
    row("first replica up (`" + up + "`)", baseline, baseline);
    row("first replica down, connection refused (`" + down + "," + up + "`)", failover, baseline);
    report.section(
        "12. Agent fail-over: cold resolve with the first replica down",
        table,
        "JDK HttpClient under the agent, plain-HTTP stand-in provider, service on "
            + store.name
            + "; "
            + settings.coldGrants()
            + " distinct grants per row (after "
            + WARMUP_GRANTS
            + " uncounted warm-up grants), the time of each grant's first request. A refused "
            + "replica is skipped for 1 s after a failure, doubling to 30 s while it keeps "
            + "failing, so only the first resolve of each back-off pays the refused connection: "
            + "the max column shows that cost, the p50 the steady state.");
  }

  private void row(String list, long[] cold, long[] baseline) {
    long[] sorted = cold.clone();
    Arrays.sort(sorted);
    table.row(
        list,
        Format.millis(Stats.percentile(cold, 0.5)),
        Format.millis(Stats.percentile(cold, 0.99)),
        Format.millis(sorted[sorted.length - 1]),
        Format.ratio(Stats.percentile(cold, 0.5) / Stats.percentile(baseline, 0.5)),
        Integer.toString(cold.length));
  }

  private long[] coldNanos(ProviderFixture fixture, String resolvers) throws IOException {
    List<String> grants = fixture.createGrants(WARMUP_GRANTS + settings.coldGrants(), "failover");
    Path grantsFile = workDir.resolve("failover-grants-" + RandomHex.of(3) + ".txt");
    Files.write(grantsFile, grants);
    ChildJvm jvm = ChildJvm.create().jvmArgument("-XX:TieredStopAtLevel=4");
    ClientClasspath.entries().forEach(jvm::classpathEntry);
    ChildResult result =
        jvm.withAgent()
            .resolver(resolvers, fixture.app.apiKey)
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
          "fail-over cold resolve with "
              + resolvers
              + ": "
              + report.path("first_error").asText()
              + "\n"
              + result.describe());
    }
    provider.clear();
    List<Long> values = new ArrayList<>();
    report.path("cold_ns").forEach(v -> values.add(v.asLong()));
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  /** A loopback port nothing listens on (bound, then released). */
  private static int refusingPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
