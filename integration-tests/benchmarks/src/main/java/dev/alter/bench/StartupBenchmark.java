package dev.alter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.bench.child.StartupApp;
import dev.alter.it.harness.Artifacts;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.Json;
import dev.alter.it.harness.TestCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Section 3: start-up and memory of {@link StartupApp} (one HTTPS request through each client
 * family, then exit; and the same app making no request, a hello world) with no agent, with
 * alter-agent.jar (configured, as in production) and with the OpenTelemetry Java agent (exporters
 * off) as the reference. Default JVM flags, runs alternating; wall time from process start to exit,
 * peak RSS as the app's VmHWM at the end.
 */
final class StartupBenchmark {
  static final double ADDED_MILLIS_TARGET = 150;
  static final double ADDED_MIB_TARGET = 30;

  enum Agent {
    NONE("no agent"),
    /** Its weave cache filled by an untimed start first: every start after an app's first. */
    ALTER("alter-agent.jar"),
    /** A fresh, empty weave cache for each start: an app's first start on a machine. */
    ALTER_FIRST_START("alter-agent.jar, first start (empty weave cache)"),
    /** Another build ({@code -Dalter.bench.previous.agent.jar}), e.g. the one before a change. */
    PREVIOUS("previous alter-agent.jar"),
    OPENTELEMETRY("OpenTelemetry Java agent (exporters off)");

    final String label;

    Agent(String label) {
      this.label = label;
    }
  }

  /** What the started app does: the agent's cost differs when no hooked client is ever loaded. */
  enum Subject {
    CLIENTS("one HTTPS GET per client family"),
    HELLO("hello world (no HTTP client loaded)");

    final String label;

    Subject(String label) {
      this.label = label;
    }
  }

  record Run(double wallNanos, double peakRssBytes) {}

  private final Settings settings;
  private final Path otelAgent;
  private final TestCertificate certificate;
  private final String httpsUrl;
  private final String resolverUrl;
  private final String appKey;
  private final Path workDir;
  private final Path previousAgent;

  StartupBenchmark(
      Settings settings,
      Path otelAgent,
      TestCertificate certificate,
      String httpsUrl,
      String resolverUrl,
      String appKey,
      Path workDir) {
    this.settings = settings;
    this.otelAgent = otelAgent;
    this.certificate = certificate;
    this.httpsUrl = httpsUrl;
    this.resolverUrl = resolverUrl;
    this.appKey = appKey;
    this.workDir = workDir;
    String previous = System.getProperty("alter.bench.previous.agent.jar");
    this.previousAgent = previous == null || previous.isBlank() ? null : Path.of(previous);
  }

  void run(Report report) {
    Agent[] agents =
        java.util.Arrays.stream(Agent.values())
            .filter(a -> a != Agent.PREVIOUS || previousAgent != null)
            // a shorter run for a before/after of alter alone; the published tables keep the
            // reference
            .filter(
                a ->
                    a != Agent.OPENTELEMETRY
                        || System.getenv("ALTER_BENCH_SKIP_REFERENCE_AGENT") == null)
            .toArray(Agent[]::new);
    deleteRecursively(warmWeaveCache());
    runOnce(Subject.CLIENTS, Agent.ALTER, -1); // fills the weave cache; not counted
    Map<Subject, Map<Agent, List<Run>>> runs = new EnumMap<>(Subject.class);
    for (int round = 0; round < settings.startupRuns(); round++) {
      for (Subject subject : Subject.values()) {
        for (int i = 0; i < agents.length; i++) {
          Agent agent = agents[(round + i) % agents.length];
          runs.computeIfAbsent(subject, s -> new EnumMap<>(Agent.class))
              .computeIfAbsent(agent, a -> new ArrayList<>())
              .add(runOnce(subject, agent, round));
        }
      }
    }
    MarkdownTable table =
        new MarkdownTable(
            "App",
            "Started with",
            "Wall time (median)",
            "Peak RSS (median)",
            "Added wall",
            "Added peak RSS");
    StringBuilder verdicts = new StringBuilder();
    for (Subject subject : Subject.values()) {
      Map<Agent, List<Run>> bySubject = runs.get(subject);
      List<Run> none = bySubject.get(Agent.NONE);
      double alterMillis = 0;
      double alterMib = 0;
      double firstStartMillis = 0;
      for (Agent agent : agents) {
        List<Run> mine = bySubject.get(agent);
        double addedMillis = pairedMedian(none, mine, Run::wallNanos) / 1e6;
        double addedMib = pairedMedian(none, mine, Run::peakRssBytes) / 1048576.0;
        if (agent == Agent.ALTER) {
          alterMillis = addedMillis;
          alterMib = addedMib;
        } else if (agent == Agent.ALTER_FIRST_START) {
          firstStartMillis = addedMillis;
        }
        table.row(
            subject.label,
            agent.label,
            String.format("%.0f ms", Stats.median(values(mine, Run::wallNanos)) / 1e6),
            Format.mib(Stats.median(values(mine, Run::peakRssBytes))),
            agent == Agent.NONE ? "—" : String.format("%+.0f ms", addedMillis),
            agent == Agent.NONE ? "—" : String.format("%+.1f MiB", addedMib));
      }
      String wallVerdict =
          report.target(
              "alter-agent added start-up wall time, " + subject.label,
              alterMillis < ADDED_MILLIS_TARGET,
              String.format("%+.0f ms", alterMillis),
              "< 150 ms");
      String rssVerdict =
          report.target(
              "alter-agent added peak RSS, " + subject.label,
              alterMib < ADDED_MIB_TARGET,
              String.format("%+.1f MiB", alterMib),
              "< 30 MiB");
      report.target(
          "alter-agent added start-up wall time at an app's first start (empty weave cache), "
              + subject.label,
          firstStartMillis < ADDED_MILLIS_TARGET,
          String.format("%+.0f ms", firstStartMillis),
          "< 150 ms");
      verdicts
          .append(subject.label)
          .append(": wall ")
          .append(wallVerdict)
          .append(", memory ")
          .append(rssVerdict)
          .append("; ");
    }
    report.section(
        "3. Start-up and memory (targets: alter adds < 150 ms and < 30 MiB)",
        table,
        "alter-agent, "
            + verdicts
            + "the app makes one HTTPS GET "
            + "through each of JDK HttpClient, OkHttp 4.12, Apache 5 classic and async to a local TLS "
            + "server, then exits (the hello world is the same app making no request, so it loads no "
            + "client the agent hooks); JDK defaults (no flags beyond the trust store); "
            + settings.startupRuns()
            + " runs of each, alternating; added = median of within-round differences. alter-agent is "
            + "configured (resolver URL and app key); its first row starts with the weave cache one "
            + "untimed start of the app filled (every start after the first with this agent build and "
            + "these client jars), the first-start row with an empty cache directory each time"
            + (previousAgent == null ? "" : "; the previous build is " + previousAgent)
            + (java.util.Arrays.asList(agents).contains(Agent.OPENTELEMETRY)
                ? ". The OpenTelemetry agent "
                    + otelAgent.getFileName()
                    + " runs with `-Dotel.traces.exporter=none "
                    + "-Dotel.metrics.exporter=none -Dotel.logs.exporter=none`."
                : ". The OpenTelemetry reference was left out (ALTER_BENCH_SKIP_REFERENCE_AGENT)."));
  }

  private Run runOnce(Subject subject, Agent agent, int round) {
    List<String> command = new ArrayList<>();
    command.add(JavaRuntime.JDK_17.javaExecutable().toString());
    if (agent == Agent.ALTER || agent == Agent.ALTER_FIRST_START) {
      command.add("-javaagent:" + Artifacts.agentJar());
    } else if (agent == Agent.PREVIOUS) {
      command.add("-javaagent:" + previousAgent);
    } else if (agent == Agent.OPENTELEMETRY) {
      command.add("-javaagent:" + otelAgent);
      command.add("-Dotel.traces.exporter=none");
      command.add("-Dotel.metrics.exporter=none");
      command.add("-Dotel.logs.exporter=none");
    }
    command.addAll(certificate.trustStoreProperties());
    command.add("-cp");
    command.add(ClientClasspath.asString());
    command.add(StartupApp.class.getName());
    command.add(subject == Subject.HELLO ? StartupApp.NO_REQUESTS : httpsUrl);
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet()
        .removeIf(
            name ->
                name.startsWith("ALTER_")
                    || name.startsWith("OTEL_")
                    || name.equals("JAVA_TOOL_OPTIONS")
                    || name.equals("JDK_JAVA_OPTIONS")
                    || name.equals("_JAVA_OPTIONS"));
    if (agent != Agent.NONE && agent != Agent.OPENTELEMETRY) {
      env.put("ALTER_RESOLVER_URL", resolverUrl);
      env.put("ALTER_API_KEY", appKey);
    }
    if (agent == Agent.ALTER) {
      env.put("ALTER_WEAVE_CACHE", warmWeaveCache().toString());
    } else if (agent == Agent.ALTER_FIRST_START) {
      Path empty = workDir.resolve("weave-cache-first-start");
      deleteRecursively(empty);
      env.put("ALTER_WEAVE_CACHE", empty.toString());
    }
    Path stderr =
        workDir.resolve(
            "startup-"
                + subject.name().toLowerCase()
                + "-"
                + agent.name().toLowerCase()
                + "-"
                + round
                + ".stderr");
    builder.redirectError(stderr.toFile());
    try {
      long started = System.nanoTime();
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] stdout = process.getInputStream().readAllBytes();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(agent.label + ": start-up app did not finish in 120 s");
      }
      long wall = System.nanoTime() - started;
      String out = new String(stdout, StandardCharsets.UTF_8).trim();
      String last = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("");
      if (process.exitValue() != 0 || last.isEmpty()) {
        throw new IllegalStateException(
            agent.label
                + ": start-up app failed (exit "
                + process.exitValue()
                + ")\n"
                + out
                + "\n"
                + Files.readString(stderr));
      }
      JsonNode report = Json.parse(last);
      if (report.path("failed").asLong() != 0) {
        throw new IllegalStateException(
            agent.label + ": a request failed: " + last + "\n" + Files.readString(stderr));
      }
      return new Run(wall, report.path("vm_hwm_kib").asLong() * 1024.0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Path warmWeaveCache() {
    return workDir.resolve("weave-cache");
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Double> values(
      List<Run> runs, java.util.function.ToDoubleFunction<Run> metric) {
    List<Double> values = new ArrayList<>();
    runs.forEach(r -> values.add(metric.applyAsDouble(r)));
    return values;
  }

  private static double pairedMedian(
      List<Run> baseline, List<Run> variant, java.util.function.ToDoubleFunction<Run> metric) {
    List<Double> differences = new ArrayList<>();
    for (int i = 0; i < baseline.size(); i++) {
      differences.add(metric.applyAsDouble(variant.get(i)) - metric.applyAsDouble(baseline.get(i)));
    }
    return Stats.median(differences);
  }
}
