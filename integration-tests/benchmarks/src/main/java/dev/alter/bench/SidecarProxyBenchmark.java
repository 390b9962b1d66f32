package dev.alter.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Section 2: the agent against the sidecar-proxy pattern. Three routes for the same JDK HttpClient
 * app — direct and untagged without an agent (the baseline), through the nginx sidecar that adds
 * the header, and direct with the agent injecting in-process — each measured with one client thread
 * (latency) and then with several (throughput, CPU per request over all processes involved), in an
 * order that rotates every fork.
 */
final class SidecarProxyBenchmark {
  static final String FAMILY = "jdk";
  private static final LoopVariant[] ROUTES = {
    LoopVariant.NO_AGENT, LoopVariant.NGINX_PROXY, LoopVariant.AGENT_TAGGED
  };

  /** The agent must add less than a seventh of what the proxy adds. */
  static final double TARGET_FRACTION = 1.0 / 7;

  private final Settings settings;
  private final LoopChildren children;

  SidecarProxyBenchmark(Settings settings, LoopChildren children) {
    this.settings = settings;
    this.children = children;
  }

  void run(Report report) {
    Map<LoopVariant, List<LoopWindow>> single = new EnumMap<>(LoopVariant.class);
    Map<LoopVariant, List<LoopWindow>> loaded = new EnumMap<>(LoopVariant.class);
    for (int fork = 0; fork < settings.forks(); fork++) {
      for (int i = 0; i < ROUTES.length; i++) {
        LoopVariant route = ROUTES[(fork + i) % ROUTES.length];
        List<LoopWindow> windows =
            children.measure(
                FAMILY,
                route,
                settings.warmup(),
                settings.measure(),
                List.of(1, settings.proxyThreads()));
        single.computeIfAbsent(route, r -> new ArrayList<>()).add(windows.get(0));
        loaded.computeIfAbsent(route, r -> new ArrayList<>()).add(windows.get(1));
      }
    }
    List<LoopWindow> direct = single.get(LoopVariant.NO_AGENT);
    Comparison proxy = new Comparison(direct, single.get(LoopVariant.NGINX_PROXY));
    Comparison agent = new Comparison(direct, single.get(LoopVariant.AGENT_TAGGED));
    Comparison proxyLoaded =
        new Comparison(loaded.get(LoopVariant.NO_AGENT), loaded.get(LoopVariant.NGINX_PROXY));
    Comparison agentLoaded =
        new Comparison(loaded.get(LoopVariant.NO_AGENT), loaded.get(LoopVariant.AGENT_TAGGED));

    MarkdownTable table =
        new MarkdownTable(
            "Route",
            "p50",
            "p99",
            "Added p50 / p99 over direct",
            "req/s, " + settings.proxyThreads() + " threads",
            "CPU per request (all processes)");
    table.row(
        "direct, no agent, the app sends its own key (baseline)",
        Format.microsPlain(Stats.median(proxy.baseline(LoopWindow::p50Nanos))),
        Format.microsPlain(Stats.median(proxy.baseline(LoopWindow::p99Nanos))),
        "—",
        Format.count(Stats.median(proxyLoaded.baseline(LoopWindow::throughput))),
        Format.microsPlain(
            1e3 * Stats.median(proxyLoaded.baseline(LoopWindow::cpuMicrosPerRequest))));
    row(table, "nginx sidecar adds `DD-API-KEY`", proxy, proxyLoaded);
    row(table, "alter agent injects in-process", agent, agentLoaded);

    double p50Fraction = agent.addedP50() / proxy.addedP50();
    double p99Fraction = agent.addedP99() / proxy.addedP99();
    boolean measurable = proxy.addedP50() > 0;
    String verdict =
        report.target(
            "agent's added p50 latency as a fraction of the nginx sidecar's",
            measurable && p50Fraction < TARGET_FRACTION,
            measurable
                ? Format.ratio(p50Fraction)
                    + " ("
                    + Format.micros(agent.addedP50())
                    + " vs "
                    + Format.micros(proxy.addedP50())
                    + ")"
                : "proxy added nothing measurable",
            "< 1/7 = " + Format.ratio(TARGET_FRACTION));
    report.section(
        "2. Agent vs nginx sidecar proxy (target: the agent adds < 1/7 of what the proxy adds)",
        table,
        "Agent added / proxy added: p50 "
            + Format.ratio(p50Fraction)
            + ", p99 "
            + Format.ratio(p99Fraction)
            + " — "
            + verdict
            + ". Throughput: proxy "
            + Format.ratio(proxyLoaded.throughputRatio())
            + "×, agent "
            + Format.ratio(agentLoaded.throughputRatio())
            + "× the direct route; CPU per "
            + "request: proxy "
            + Format.ratio(proxyLoaded.cpuRatio())
            + "×, agent "
            + Format.ratio(agentLoaded.cpuRatio())
            + "× the direct route.",
        "JDK HttpClient (HTTP/1.1, keep-alive) to the plain-HTTP stand-in provider; nginx (worker_processes "
            + "auto, keep-alive to the upstream, access log off) on 127.0.0.1 adds the header with "
            + "`proxy_set_header`. Latency with 1 client thread, throughput and CPU with "
            + settings.proxyThreads()
            + "; CPU is user+system time from /proc of every process "
            + "involved (app, stand-in provider, nginx master and workers, resolver service) divided by "
            + "requests. "
            + settings.forks()
            + " forks per route, alternating order; medians over forks.");
  }

  private static void row(MarkdownTable table, String label, Comparison single, Comparison loaded) {
    table.row(
        label,
        Format.microsPlain(Stats.median(single.variant(LoopWindow::p50Nanos))),
        Format.microsPlain(Stats.median(single.variant(LoopWindow::p99Nanos))),
        Format.micros(single.addedP50()) + " / " + Format.micros(single.addedP99()),
        Format.count(Stats.median(loaded.variant(LoopWindow::throughput))),
        Format.microsPlain(1e3 * Stats.median(loaded.variant(LoopWindow::cpuMicrosPerRequest))));
  }
}
