package dev.alter.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Section 1: per-request cost of the agent with a warm cache, for each client family. For each
 * family and fork, three children run the same single-threaded request loop against the plain-HTTP
 * stand-in provider — no agent, agent with untagged requests, agent with tagged requests — measured
 * in turn in short windows. Ratios are taken within a round (the same few seconds of the machine)
 * and the median over all rounds is reported.
 */
final class ClientOverheadBenchmark {
  static final List<String> FAMILIES =
      List.of("jdk", "okhttp", "apache-classic", "apache-async", "reactor-netty", "jetty");
  private static final LoopVariant[] VARIANTS = {
    LoopVariant.NO_AGENT, LoopVariant.AGENT_UNTAGGED, LoopVariant.AGENT_TAGGED
  };
  static final double TAGGED_TARGET = 0.98;
  static final double UNTAGGED_TARGET = 0.995;
  private static final int QUIET_JIT_PERCENT = 2;
  private static final int QUIET_ROUNDS_NEEDED = 2;

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
            "No-agent spread over windows",
            "Untagged / no agent",
            "Tagged / no agent",
            "Untagged: added p50 / p99",
            "Tagged: added p50 / p99",
            "JIT busy in windows (none / untagged / tagged)",
            "Targets");
    int resolvesBefore = children.resolveCount();
    int taggedChildren = 0;
    List<Integer> settlingRounds = new ArrayList<>();
    for (String family : families) {
      Map<LoopVariant, List<LoopWindow>> windows = new EnumMap<>(LoopVariant.class);
      for (int fork = 0; fork < settings.overheadForks(); fork++) {
        settlingRounds.add(measureFork(family, fork, windows));
        taggedChildren++; // one tagged child per fork
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
          jitShare(windows.get(LoopVariant.NO_AGENT))
              + " / "
              + jitShare(windows.get(LoopVariant.AGENT_UNTAGGED))
              + " / "
              + jitShare(windows.get(LoopVariant.AGENT_TAGGED)),
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
            + settings.overheadForks()
            + " forks; in each, one child JVM per variant is started and warmed up in turn, the "
            + "order rotating by fork ("
            + settings.warmup().toMillis()
            + " ms each), then run unmeasured "
            + settings.roundWindow().multipliedBy(2).toMillis()
            + " ms windows in the measured rounds' rotation until, two rounds in a row, each "
            + "child's JIT compiled for under "
            + QUIET_JIT_PERCENT
            + " % of its window ("
            + range(settlingRounds)
            + " such rounds per fork), then the three are measured in "
            + settings.rounds()
            + " rounds of "
            + settings.roundWindow().toMillis()
            + " ms windows, one child at a time, in an order that rotates every round; ratios and "
            + "added latencies are medians over all rounds of the within-round ones. Every measured "
            + "window "
            + "is checked at the provider: every request arrived with the key and without `alter-*` "
            + "headers. The service resolved the grant "
            + resolves
            + " times for "
            + taggedChildren
            + " tagged child JVMs (one cold resolve each is expected; "
            + "more means the cache did not stay warm). The spread column shows how much the baseline "
            + "itself moved between its windows, rounds and forks together; the ratios, taken "
            + "within a round, cancel the part of it that is the machine's drift. The JIT column is "
            + "each variant's compilation time (the JVM's own count: the wall time of its compile "
            + "tasks, on the loop's core) as a share of its measured windows."
            + LoopChildren.diagnosticFlagsNote());
  }

  /**
   * One fork: a child per variant, all started and warmed up, then measured in rounds, one short
   * window each in turn (the order rotating), so a drift of the machine's speed over seconds moves
   * the three alike; the i-th window of every variant is from the same round.
   */
  private int measureFork(String family, int fork, Map<LoopVariant, List<LoopWindow>> windows) {
    Map<LoopVariant, LoopChildren.Loop> loops = new EnumMap<>(LoopVariant.class);
    Map<LoopVariant, List<LoopWindow>> forkWindows = new EnumMap<>(LoopVariant.class);
    try {
      for (int i = 0; i < VARIANTS.length; i++) {
        // the start order rotates too: the child started last is the youngest when the rounds
        // begin, and a JVM's own periodic work (an agent's heartbeat) is compiled within its
        // first minute
        LoopVariant variant = inTurn(fork, i);
        LoopChildren.Loop loop = children.start(family, variant);
        loops.put(variant, loop);
        loop.warmUp(settings.warmup(), 1);
      }
      int settlingRounds = settle(fork, loops);
      for (int round = 0; round < settings.rounds(); round++) {
        for (int i = 0; i < VARIANTS.length; i++) {
          LoopVariant variant = inTurn(fork + round, i);
          LoopWindow window = loops.get(variant).window(settings.roundWindow(), 1);
          windows.computeIfAbsent(variant, v -> new ArrayList<>()).add(window);
          forkWindows.computeIfAbsent(variant, v -> new ArrayList<>()).add(window);
        }
      }
      BenchmarkRun.progress(forkSummary(family, fork, forkWindows, settlingRounds));
      return settlingRounds;
    } finally {
      loops.values().forEach(LoopChildren.Loop::close);
    }
  }

  /**
   * Unmeasured rounds in the measured rounds' rotation until, {@value #QUIET_ROUNDS_NEEDED} rounds
   * in a row, every child's JIT compiled for under {@value #QUIET_JIT_PERCENT} % of its window (at
   * most {@link Settings#maxSettlingRounds}). The children warm up one after another, so the first
   * idles while the others warm up; resuming after the pause takes paths its warm-up never did (a
   * pooled connection the idle check revisits, or one the provider closed), and C2 recompiles them.
   * Left in the measured rounds, that compiling lands on the loop's core and on one variant.
   *
   * @return the rounds it took
   */
  private int settle(int fork, Map<LoopVariant, LoopChildren.Loop> loops) {
    Duration window = settings.roundWindow().multipliedBy(2);
    int quietInARow = 0;
    for (int round = 1; ; round++) {
      boolean quiet = true;
      for (int i = 0; i < VARIANTS.length; i++) {
        LoopVariant variant = inTurn(fork + round, i);
        long compiledMillis = loops.get(variant).unmeasured(window, 1);
        quiet &= compiledMillis * 100 < window.toMillis() * QUIET_JIT_PERCENT;
      }
      quietInARow = quiet ? quietInARow + 1 : 0;
      if (round >= settings.maxSettlingRounds() || quietInARow >= QUIET_ROUNDS_NEEDED) {
        return round;
      }
    }
  }

  /** The i-th variant of a turn whose order is rotated by {@code offset}. */
  private static LoopVariant inTurn(int offset, int i) {
    return VARIANTS[(offset + i) % VARIANTS.length];
  }

  /**
   * One fork's own medians, on the progress log: each fork is a fresh set of JVMs, and how far
   * their ratios lie apart shows how much of a result is the JVMs rather than the agent.
   */
  private static String forkSummary(
      String family, int fork, Map<LoopVariant, List<LoopWindow>> windows, int settlingRounds) {
    List<LoopWindow> none = windows.get(LoopVariant.NO_AGENT);
    Comparison untagged = new Comparison(none, windows.get(LoopVariant.AGENT_UNTAGGED));
    Comparison tagged = new Comparison(none, windows.get(LoopVariant.AGENT_TAGGED));
    return String.format(
        java.util.Locale.ROOT,
        "%s fork %d: no agent %.0f req/s; untagged %.3f, tagged %.3f; added p50 %s / %s;"
            + " %d settling rounds; JIT busy %s / %s / %s",
        family,
        fork + 1,
        Stats.median(untagged.baseline(LoopWindow::throughput)),
        untagged.throughputRatio(),
        tagged.throughputRatio(),
        Format.micros(untagged.addedP50()),
        Format.micros(tagged.addedP50()),
        settlingRounds,
        jitShare(none),
        jitShare(windows.get(LoopVariant.AGENT_UNTAGGED)),
        jitShare(windows.get(LoopVariant.AGENT_TAGGED)));
  }

  /** The share of the windows' time the child's JIT spent compiling. */
  static String jitShare(List<LoopWindow> windows) {
    long jit = windows.stream().mapToLong(LoopWindow::jitMillis).sum();
    long elapsed = windows.stream().mapToLong(LoopWindow::elapsedNanos).sum() / 1_000_000;
    return elapsed == 0
        ? "–"
        : String.format(java.util.Locale.ROOT, "%.1f %%", 100.0 * jit / elapsed);
  }

  private static String range(List<Integer> values) {
    int min = values.stream().mapToInt(Integer::intValue).min().orElse(0);
    int max = values.stream().mapToInt(Integer::intValue).max().orElse(0);
    return min == max ? Integer.toString(min) : min + "–" + max;
  }

  /**
   * (max − min) / median of the baseline's throughput over its windows: how much the machine and
   * the JVMs moved during the run, which the table should make visible rather than hide.
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
