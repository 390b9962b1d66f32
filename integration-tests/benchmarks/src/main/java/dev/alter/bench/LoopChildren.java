package dev.alter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.bench.child.LoopClient;
import dev.alter.bench.child.RequestLoop;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.RunningChild;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Launches {@link RequestLoop} children the same way for every variant — same JVM flags (the
 * harness's, with the C2 compiler back on, since throughput is what is measured), same classpath,
 * same client, same CPU — so the agent and the route are the only differences. Every variant puts
 * the same request on the wire: the app sends its own key itself without the agent and on untagged
 * requests, sends {@code alter-grant} for the agent to swap for the key when tagged, and sends
 * neither through the proxy that adds it. A child warms up once, then is measured in one or more
 * windows, and exits when closed.
 */
final class LoopChildren {
  /**
   * Extra JVM flags for every request-loop child, separated by spaces (run.sh documents it): for
   * diagnosing a figure, never for the figures themselves.
   */
  static final String EXTRA_JVM_ARGUMENTS_ENV = "ALTER_BENCH_CHILD_JVM_ARGS";

  /**
   * A sentence for a section's notes when {@link #EXTRA_JVM_ARGUMENTS_ENV} is set (empty when not):
   * such a run's figures are a diagnosis, not comparable with the README's.
   */
  static String diagnosticFlagsNote() {
    String extra = System.getenv(EXTRA_JVM_ARGUMENTS_ENV);
    return extra == null || extra.isBlank()
        ? ""
        : " Diagnostic run: the loop children had the extra JVM flags `"
            + extra.trim()
            + "` ("
            + EXTRA_JVM_ARGUMENTS_ENV
            + "), so these figures do not compare with a plain run's.";
  }

  private final ProviderFixture fixture;
  private final String proxyUrl;
  private final CpuPinning pinning;
  private int recordings;

  LoopChildren(ProviderFixture fixture, String proxyUrl, CpuPinning pinning) {
    this.fixture = fixture;
    this.proxyUrl = proxyUrl;
    this.pinning = pinning;
  }

  /** How many times the service was asked to resolve the benchmark's grant so far (its audit). */
  int resolveCount() {
    return fixture.admin.resolveCount(fixture.grant);
  }

  /** One child: a warm-up with the first thread count, then one window per thread count. */
  List<LoopWindow> measure(
      String family,
      LoopVariant variant,
      Duration warmup,
      Duration window,
      List<Integer> threadCounts) {
    try (Loop loop = start(family, variant)) {
      loop.warmUp(warmup, threadCounts.get(0));
      List<LoopWindow> results = new ArrayList<>();
      for (int threads : threadCounts) {
        results.add(loop.window(window, threads));
      }
      return results;
    }
  }

  /**
   * A started child that stays up between windows (idle, blocked on its commands), so several
   * children can be measured in turn, a short window each.
   */
  Loop start(String family, LoopVariant variant) {
    String url = variant.viaProxy ? proxyUrl : fixture.url();
    ChildJvm jvm =
        ChildJvm.create().launcher(pinning.childLauncher()).jvmArgument("-XX:TieredStopAtLevel=4");
    ClientClasspath.entries().forEach(jvm::classpathEntry);
    if (variant.tagged) {
      jvm.main(RequestLoop.class, family, url, LoopClient.GRANT_HEADER)
          .env(RequestLoop.HEADER_VALUE_ENV, fixture.grant);
    } else if (variant.viaProxy) {
      jvm.main(RequestLoop.class, family, url, "-");
    } else {
      jvm.main(RequestLoop.class, family, url, ProviderFixture.HEADER)
          .env(RequestLoop.HEADER_VALUE_ENV, fixture.credential);
    }
    if (variant.agent) {
      jvm.withAgent().resolver(fixture.service.baseUrl(), fixture.app.apiKey);
    }
    String extra = System.getenv(EXTRA_JVM_ARGUMENTS_ENV);
    if (extra != null && !extra.isBlank()) {
      // diagnostics only (e.g. a compilation log written to a file): the children's stdout carries
      // their answers, so a flag that prints there breaks the run
      for (String argument : extra.trim().split("\\s+")) {
        jvm.jvmArgument(argument);
      }
    }
    String jfrDirectory = System.getProperty("alter.bench.jfr");
    if (jfrDirectory != null) {
      // profiling run (run.sh --jfr DIR): one recording per child, summarised by JfrTopFrames
      jvm.jvmArgument(
          "-XX:StartFlightRecording=settings="
              // a .jfc of one's own (-Dalter.bench.jfr.settings) records e.g. every park and read
              + System.getProperty("alter.bench.jfr.settings", "profile")
              + ",filename="
              + Path.of(jfrDirectory)
                  .resolve(
                      family + "-" + variant.name().toLowerCase() + "-" + (++recordings) + ".jfr"));
    }
    return new Loop(family, variant, jvm.start());
  }

  /** A running {@link RequestLoop} child of one family and variant. */
  final class Loop implements AutoCloseable {
    private static final Duration ANSWER = Duration.ofSeconds(60);
    private final String family;
    private final LoopVariant variant;
    private final RunningChild child;

    private Loop(String family, LoopVariant variant, RunningChild child) {
      this.family = family;
      this.variant = variant;
      this.child = child;
    }

    /** A window that is not measured: class loading, the cold resolve, the JIT. */
    void warmUp(Duration warmup, int threads) {
      unmeasured(warmup, threads);
    }

    /**
     * A window that is not measured, to let the child settle.
     *
     * @return the milliseconds the child's JIT compiled during it
     */
    long unmeasured(Duration window, int threads) {
      JsonNode report = child.ask("run " + window.toMillis() + " " + threads, window.plus(ANSWER));
      requireSuccess(report, family, variant, child);
      fixture.provider.clear();
      return report.path("jit_ms").asLong();
    }

    /** A measured window, checked at the provider. */
    LoopWindow window(Duration window, int threads) {
      fixture.provider.clear();
      ProcessCpu before = ProcessCpu.snapshot();
      JsonNode report = child.ask("run " + window.toMillis() + " " + threads, window.plus(ANSWER));
      long cpu = ProcessCpu.snapshot().nanosSince(before);
      requireSuccess(report, family, variant, child);
      LoopWindow result = LoopWindow.from(report, cpu);
      verifyWhatArrived(variant, result);
      fixture.provider.clear();
      return result;
    }

    @Override
    public void close() {
      child.close();
    }
  }

  private static void requireSuccess(
      JsonNode report, String family, LoopVariant variant, RunningChild child) {
    if (report.path("errors").asLong() > 0 || report.path("requests").asLong() == 0) {
      throw new IllegalStateException(
          family
              + " / "
              + variant.label
              + ": "
              + report.path("errors").asLong()
              + " failed requests (first: "
              + report.path("first_error").asText()
              + ")\n"
              + child.describe());
    }
  }

  /** A figure only counts if the provider got the same request from every variant. */
  private void verifyWhatArrived(LoopVariant variant, LoopWindow window) {
    var received = fixture.provider.requests();
    if (received.size() < window.requests()) {
      throw new IllegalStateException(
          variant.label
              + ": the provider received "
              + received.size()
              + " requests, the client counted "
              + window.requests());
    }
    var last = received.get(received.size() - 1);
    boolean keyed = fixture.credential.equals(last.header(ProviderFixture.HEADER));
    if (!keyed || last.hasAnyAlterHeader()) {
      throw new IllegalStateException(
          variant.label + ": unexpected headers at the provider: " + last.headerNames());
    }
  }
}
