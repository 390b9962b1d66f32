package dev.alter.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Section 1: per-request cost of the agent with a warm cache, for each client family. For each
 * family and fork, three children run the same single-threaded request loop against the plain-HTTP
 * stand-in provider — no agent, agent with untagged requests, agent with tagged requests — in an
 * order that rotates every fork. Ratios are taken within a fork (same minute, same machine load)
 * and the median over forks is reported.
 */
final class ClientOverheadBenchmark {
  static final List<String> FAMILIES =
      List.of("jdk", "okhttp", "apache-classic", "apache-async", "reactor-netty", "jetty");
  private static final LoopVariant[] VARIANTS = {
    LoopVariant.NO_AGENT, LoopVariant.AGENT_UNTAGGED, LoopVariant.AGENT_TAGGED
  };
  static final double TAGGED_TARGET = 0.98;
  static final double UNTAGGED_TARGET = 0.995;

  private final Settings settings;
  private final LoopChildren children;

  ClientOverheadBenchmark(Settings settings, LoopChildren children) {
    this.settings = settings;
    this.children = children;
  }

  void run(List<String> families, Report report, CpuPinning pinning) {
    MarkdownTable table =
        new MarkdownTable(
            "Client",
            "No agent (req/s)",
            "No-agent spread over forks",
            "Untagged / no agent",
            "Tagged / no agent",
            "Untagged: added p50 / p99",
            "Tagged: added p50 / p99",
            "Targets");
    int resolvesBefore = children.resolveCount();
    int taggedChildren = 0;
    for (String family : families) {
      Map<LoopVariant, List<LoopWindow>> windows = new EnumMap<>(LoopVariant.class);
      for (int fork = 0; fork < settings.forks(); fork++) {
        for (int i = 0; i < VARIANTS.length; i++) {
          LoopVariant variant = VARIANTS[(fork + i) % VARIANTS.length];
          taggedChildren += variant.tagged ? 1 : 0;
          windows
              .computeIfAbsent(variant, v -> new ArrayList<>())
              .add(children.measure(family, variant, settings.warmup(), settings.measure(), 1));
        }
      }
      Comparison untagged =
          new Comparison(
              windows.get(LoopVariant.NO_AGENT), windows.get(LoopVariant.AGENT_UNTAGGED));
      Comparison tagged =
          new Comparison(windows.get(LoopVariant.NO_AGENT), windows.get(LoopVariant.AGENT_TAGGED));
      String untaggedVerdict =
          report.target(
              familyName(family) + " untagged throughput ratio",
              untagged.throughputRatio() >= UNTAGGED_TARGET,
              Format.ratio(untagged.throughputRatio()),
              "≥ " + UNTAGGED_TARGET);
      String taggedVerdict =
          report.target(
              familyName(family) + " tagged throughput ratio",
              tagged.throughputRatio() >= TAGGED_TARGET,
              Format.ratio(tagged.throughputRatio()),
              "≥ " + TAGGED_TARGET);
      table.row(
          familyName(family),
          Format.count(Stats.median(untagged.baseline(LoopWindow::throughput))),
          spread(untagged.baseline(LoopWindow::throughput)),
          Format.ratio(untagged.throughputRatio()),
          Format.ratio(tagged.throughputRatio()),
          Format.micros(untagged.addedP50()) + " / " + Format.micros(untagged.addedP99()),
          Format.micros(tagged.addedP50()) + " / " + Format.micros(tagged.addedP99()),
          "untagged " + untaggedVerdict + ", tagged " + taggedVerdict);
    }
    int resolves = children.resolveCount() - resolvesBefore;
    report.section(
        "1. Per-request overhead, warm cache (targets: tagged ≥ 0.98, untagged ≥ 0.995 of no-agent throughput)",
        table,
        "One client thread, closed loop of GETs to a local plain-HTTP stand-in provider (Jetty, "
            + "keep-alive). Every variant sends the provider the same request: without the agent "
            + "and untagged the app adds its own `DD-API-KEY`; tagged it adds `alter-grant` and the "
            + "agent swaps it for the key (plain HTTP explicitly allowed on the secret, so TLS cost "
            + "does not dilute the agent's). "
            + pinning.describe()
            + " "
            + settings.forks()
            + " forks per variant, alternating order, "
            + settings.warmup().toMillis()
            + " ms warm-up + "
            + settings.measure().toMillis()
            + " ms measured each; ratios and added "
            + "latencies are medians over forks of the within-fork differences. Every measured window "
            + "is checked at the provider: every request arrived with the key and without `alter-*` "
            + "headers. The service resolved the grant "
            + resolves
            + " times for "
            + taggedChildren
            + " tagged child JVMs (one cold resolve each is expected; "
            + "more means the cache did not stay warm). The spread column shows how much the baseline "
            + "itself moved between forks: ratios within it are noise, not agent cost.");
  }

  /**
   * (max − min) / median of the baseline's throughput over forks: a ratio closer to 1 than this is
   * within the run's noise, which the table should make visible rather than hide.
   */
  static String spread(List<Double> values) {
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    return String.format(
        java.util.Locale.ROOT, "±%.1f %%", 50 * (max - min) / Stats.median(values));
  }

  static String familyName(String family) {
    switch (family) {
      case "jdk":
        return "JDK HttpClient (HTTP/1.1)";
      case "okhttp":
        return "OkHttp 4.12";
      case "apache-classic":
        return "Apache HttpClient 5.6 classic";
      case "apache-async":
        return "Apache HttpClient 5.6 async";
      case "reactor-netty":
        return "Reactor Netty 1.3 (WebClient's client)";
      case "jetty":
        return "Jetty HttpClient 12.1";
      default:
        return family;
    }
  }
}
