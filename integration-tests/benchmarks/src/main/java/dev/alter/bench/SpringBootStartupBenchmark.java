package dev.alter.bench;

import dev.alter.it.harness.Artifacts;
import dev.alter.it.harness.JavaRuntime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Section 11: start-up of the Spring Boot 3.5 application of {@code
 * integration-tests/spring-boot/app} ({@code java -jar}, an executable fat jar that builds
 * WebClient, five RestClients and a RestTemplate) with and without alter-agent.jar, runs
 * alternating: the wall time until the app reports it is ready (the context refreshed, every client
 * built) and until the process has exited.
 */
final class SpringBootStartupBenchmark {
  record Run(double readyNanos, double exitNanos) {}

  private final Settings settings;
  private final Path appJar;
  private final String resolverUrl;
  private final String appKey;
  private final Path workDir;

  SpringBootStartupBenchmark(
      Settings settings, Path appJar, String resolverUrl, String appKey, Path workDir) {
    this.settings = settings;
    this.appJar = appJar;
    this.resolverUrl = resolverUrl;
    this.appKey = appKey;
    this.workDir = workDir;
  }

  /** The fat jar the run.sh build made, named by {@code -Dalter.springboot.app.jar}. */
  static Path appJar() {
    String configured = System.getProperty("alter.springboot.app.jar");
    if (configured == null || !Files.isRegularFile(Path.of(configured))) {
      throw new IllegalStateException(
          "the Spring Boot app jar is missing ("
              + configured
              + "): build integration-tests/spring-boot/app (run.sh without --skip-build)");
    }
    return Path.of(configured);
  }

  void run(Report report) {
    List<Run> none = new ArrayList<>();
    List<Run> alter = new ArrayList<>();
    // one unmeasured start of each warms the page cache for the jar and the JDK
    runOnce(false, -1);
    runOnce(true, -1);
    for (int round = 0; round < settings.startupRuns(); round++) {
      boolean agentFirst = round % 2 == 1;
      for (boolean agent : new boolean[] {agentFirst, !agentFirst}) {
        (agent ? alter : none).add(runOnce(agent, round));
      }
    }
    double readyNone = Stats.median(values(none, true));
    double readyAlter = Stats.median(values(alter, true));
    double exitNone = Stats.median(values(none, false));
    double exitAlter = Stats.median(values(alter, false));
    MarkdownTable table =
        new MarkdownTable("Started with", "Until ready (median)", "Until exit (median)", "Ratio");
    table.row(
        "no agent",
        String.format("%.0f ms", readyNone / 1e6),
        String.format("%.0f ms", exitNone / 1e6),
        "1.00");
    table.row(
        "alter-agent.jar",
        String.format(
            "%.0f ms (%+.0f ms)", readyAlter / 1e6, pairedMedian(none, alter, true) / 1e6),
        String.format(
            "%.0f ms (%+.0f ms)", exitAlter / 1e6, pairedMedian(none, alter, false) / 1e6),
        String.format("%.2f (ready), %.2f (exit)", readyAlter / readyNone, exitAlter / exitNone));
    report.section(
        "11. Spring Boot application start-up",
        table,
        "The Spring Boot "
            + "3.5 fat jar of integration-tests/spring-boot/app started with `java -jar … --exit` on "
            + "JDK 17 with default flags: it refreshes its context, builds WebClient (Reactor Netty), "
            + "RestClients on the JDK HttpClient, Apache HttpClient 5, HttpURLConnection, Reactor "
            + "Netty and Jetty and a RestTemplate, prints its ready line and exits; no request. "
            + "alter-agent is configured (resolver URL and app key). "
            + settings.startupRuns()
            + " runs of each after one unmeasured start of each, alternating which goes first; "
            + "added = median of within-round differences; ratio = median with the agent / median "
            + "without.");
  }

  private Run runOnce(boolean agent, int round) {
    List<String> command = new ArrayList<>();
    command.add(JavaRuntime.JDK_17.javaExecutable().toString());
    if (agent) {
      command.add("-javaagent:" + Artifacts.agentJar());
    }
    command.add("-jar");
    command.add(appJar.toString());
    command.add("--exit");
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet()
        .removeIf(
            name ->
                name.startsWith("ALTER_")
                    || name.equals("JAVA_TOOL_OPTIONS")
                    || name.equals("JDK_JAVA_OPTIONS")
                    || name.equals("_JAVA_OPTIONS"));
    if (agent) {
      env.put("ALTER_RESOLVER_URL", resolverUrl);
      env.put("ALTER_API_KEY", appKey);
    }
    Path stderr =
        workDir.resolve("spring-boot-startup-" + (agent ? "alter" : "none") + "-" + round + ".err");
    builder.redirectError(stderr.toFile());
    try {
      long started = System.nanoTime();
      Process process = builder.start();
      process.getOutputStream().close();
      long ready = -1;
      StringBuilder out = new StringBuilder();
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (ready < 0 && line.startsWith("{\"ready\":true")) {
            ready = System.nanoTime() - started;
          }
          out.append(line).append('\n');
        }
      }
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("the Spring Boot app did not exit in 120 s");
      }
      long exit = System.nanoTime() - started;
      if (process.exitValue() != 0 || ready < 0) {
        throw new IllegalStateException(
            "the Spring Boot app failed (exit "
                + process.exitValue()
                + ")\n"
                + out
                + Files.readString(stderr));
      }
      return new Run(ready, exit);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<Double> values(List<Run> runs, boolean ready) {
    List<Double> values = new ArrayList<>();
    runs.forEach(r -> values.add(ready ? r.readyNanos() : r.exitNanos()));
    return values;
  }

  private static double pairedMedian(List<Run> baseline, List<Run> variant, boolean ready) {
    List<Double> differences = new ArrayList<>();
    List<Double> base = values(baseline, ready);
    List<Double> other = values(variant, ready);
    for (int i = 0; i < base.size(); i++) {
      differences.add(other.get(i) - base.get(i));
    }
    return Stats.median(differences);
  }
}
