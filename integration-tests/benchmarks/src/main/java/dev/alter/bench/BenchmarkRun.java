package dev.alter.bench;

import dev.alter.it.harness.Artifacts;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.TestCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs the benchmarks and prints the Markdown report on stdout (progress goes to stderr). Started
 * by {@code integration-tests/benchmarks/run.sh}, which builds the artifacts and passes their
 * locations as the harness's system properties.
 *
 * <pre>
 * BenchmarkRun [--quick|--smoke] [--sections 1,2,3,4,5,6,7,8,9,10,11,12,13] [--families jdk,okhttp,…]
 *              [--nginx PATH] [--wrk PATH] [--otel-agent JAR] [--command "what the user typed"] [--out FILE]
 * </pre>
 */
public final class BenchmarkRun {
  private final Settings settings;
  private final Set<Integer> sections;
  private final List<String> families;
  private final String nginx;
  private final String wrk;
  private final Path otelAgent;
  private final String command;
  private final Path workDir;

  BenchmarkRun(
      Settings settings,
      Set<Integer> sections,
      List<String> families,
      String nginx,
      String wrk,
      Path otelAgent,
      String command,
      Path workDir) {
    this.settings = settings;
    this.sections = sections;
    this.families = families;
    this.nginx = nginx;
    this.wrk = wrk;
    this.otelAgent = otelAgent;
    this.command = command;
    this.workDir = workDir;
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.full();
    Set<Integer> sections = new LinkedHashSet<>(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13));
    List<String> families = ClientOverheadBenchmark.FAMILIES;
    String nginx = "nginx";
    String wrk = "wrk";
    Path otelAgent = null;
    String command = "integration-tests/benchmarks/run.sh";
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> settings = Settings.quick();
        case "--smoke" -> settings = Settings.smoke();
        case "--sections" -> {
          sections = new LinkedHashSet<>();
          for (String s : args[++i].split(",")) {
            sections.add(Integer.parseInt(s.trim()));
          }
        }
        case "--families" -> families = List.of(args[++i].split(","));
        case "--nginx" -> nginx = args[++i];
        case "--wrk" -> wrk = args[++i];
        case "--otel-agent" -> otelAgent = Path.of(args[++i]);
        case "--command" -> command = args[++i];
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("alter-bench-");
    BenchmarkRun run =
        new BenchmarkRun(settings, sections, families, nginx, wrk, otelAgent, command, work);
    String header = Machine.describe(command, settings);
    Report report = run.execute();
    String text = report.render(header);
    System.out.print(text);
    System.out.flush();
    if (out != null) {
      Files.writeString(out, text, StandardCharsets.UTF_8);
    }
    System.exit(report.hasFailures() ? 1 : 0);
  }

  Report execute() throws IOException {
    Report report = new Report();
    auditExport = new AuditExportBenchmark(settings);
    progress("work directory " + workDir + "; mode " + settings.mode());
    if (sections.contains(6)) {
      jarSize(report);
    }
    try (RecordingServer plain = RecordingServer.http("localhost")) {
      TestCertificate certificate = TestCertificate.generate(workDir);
      StoreUnderTest h2 = StoreUnderTest.h2(workDir.resolve("service-h2"));
      ColdResolveBenchmark cold = new ColdResolveBenchmark(settings, plain, workDir);
      ResolverThroughputBenchmark throughput =
          new ResolverThroughputBenchmark(settings, plain, report, wrk, workDir);
      try {
        ProviderFixture fixture = new ProviderFixture(h2.service, plain, "overhead");
        if (sections.contains(3)) {
          attempt(
              report,
              "3. Start-up and memory",
              () -> {
                try (RecordingServer https = RecordingServer.https(certificate)) {
                  new StartupBenchmark(
                          settings,
                          requiredOtelAgent(),
                          certificate,
                          https.url("/startup"),
                          h2.service.baseUrl(),
                          fixture.app.apiKey,
                          workDir)
                      .run(report);
                }
              });
        }
        if (sections.contains(1)) {
          attempt(
              report,
              "1. Per-request overhead",
              () -> {
                try (CpuPinning pinning = CpuPinning.apply(h2.service.pid())) {
                  new ClientOverheadBenchmark(settings, new LoopChildren(fixture, null, pinning))
                      .run(families, report, pinning);
                }
              });
        }
        if (sections.contains(2)) {
          attempt(
              report,
              "2. Agent vs nginx sidecar proxy",
              () -> {
                try (NginxProxy proxy =
                    NginxProxy.start(
                        nginx, workDir, plain.port(), ProviderFixture.HEADER, fixture.credential)) {
                  new SidecarProxyBenchmark(
                          settings,
                          new LoopChildren(fixture, proxy.url("/v1/bench"), CpuPinning.none()))
                      .run(report);
                }
              });
        }
        if (sections.contains(11)) {
          attempt(
              report,
              "11. Spring Boot application start-up",
              () ->
                  new SpringBootStartupBenchmark(
                          settings,
                          SpringBootStartupBenchmark.appJar(),
                          h2.service.baseUrl(),
                          fixture.app.apiKey,
                          workDir)
                      .run(report));
        }
        storeSections(report, h2, cold, throughput);
        if (sections.contains(12)) {
          attempt(
              report,
              "12. Agent fail-over",
              () -> new FailoverLatencyBenchmark(settings, plain, workDir).run(h2, report));
        }
      } finally {
        h2.close();
      }
      if (sections.contains(4) || sections.contains(5) || sections.contains(10)) {
        progress("starting the resolver service on PostgreSQL");
        try (StoreUnderTest postgres =
            StoreUnderTest.postgres(workDir.resolve("service-postgres"))) {
          storeSections(report, postgres, cold, throughput);
        } catch (SQLException e) {
          report.skipped(
              "4/5. PostgreSQL",
              "PostgreSQL at "
                  + StoreUnderTest.POSTGRES_URL
                  + " is not reachable ("
                  + e.getMessage()
                  + ")");
        }
      }
      if (sections.contains(8)) {
        attempt(
            report,
            "8. Live control",
            () -> {
              try {
                new LiveControlBenchmark(settings, plain, workDir).run(report);
              } catch (SQLException e) {
                report.skipped(
                    "8. Live control",
                    "PostgreSQL at "
                        + StoreUnderTest.POSTGRES_URL
                        + " is not reachable ("
                        + e.getMessage()
                        + ")");
              }
            });
      }
      if (sections.contains(4)) {
        cold.report(report);
      }
      if (sections.contains(10)) {
        auditExport.report(report);
      }
      if (sections.contains(5)) {
        throughput.report();
      }
      if (sections.contains(9)) {
        attempt(
            report,
            "9. Grant policy check on the warm tagged path",
            () -> new PolicyCheckBenchmark(settings).run(report));
      }
      if (sections.contains(13)) {
        attempt(
            report,
            "13. Usage counters: the response hook's cost per response",
            () -> new ResponseHookBenchmark(settings).run(report));
      }
      if (sections.contains(7)) {
        attempt(
            report,
            "7. What durable commits cost on the embedded store",
            () -> new DurabilityCostBenchmark(settings, plain, report, wrk, workDir).run());
      }
    }
    return report;
  }

  private AuditExportBenchmark auditExport;

  private void storeSections(
      Report report,
      StoreUnderTest store,
      ColdResolveBenchmark cold,
      ResolverThroughputBenchmark throughput) {
    if (sections.contains(10)) {
      attempt(
          report,
          "10. Audit export throughput (" + store.name + ")",
          () -> auditExport.measure(store.name, store.service));
    }
    if (sections.contains(4)) {
      attempt(report, "4. Cold resolve (" + store.name + ")", () -> cold.measure(store));
    }
    if (sections.contains(5)) {
      attempt(
          report,
          "5. Resolver-service throughput (" + store.name + ")",
          () -> throughput.measure(store));
    }
  }

  private void jarSize(Report report) throws IOException {
    long alter = Files.size(Artifacts.agentJar());
    MarkdownTable table = new MarkdownTable("Agent jar", "Size");
    table.row(
        "alter-agent.jar", Format.mib(alter) + " (" + String.format("%,d", alter) + " bytes)");
    if (otelAgent != null && Files.isRegularFile(otelAgent)) {
      table.row("reference: " + otelAgent.getFileName(), Format.mib(Files.size(otelAgent)));
    }
    String verdict =
        report.target(
            "alter-agent.jar size", alter < 6L * 1024 * 1024, Format.mib(alter), "< 6 MiB");
    report.section(
        "6. Agent jar size (target < 6 MiB)", table, "alter-agent.jar: " + verdict + ".");
  }

  private Path requiredOtelAgent() {
    if (otelAgent == null || !Files.isRegularFile(otelAgent)) {
      throw new IllegalStateException(
          "the OpenTelemetry Java agent jar is missing ("
              + otelAgent
              + "); run.sh copies it into integration-tests/benchmarks/target/reference-agents/");
    }
    return otelAgent;
  }

  interface Step {
    void run() throws Exception;
  }

  /**
   * Runs one section; a failure is reported in the table (and fails the run), the others still run.
   */
  static void attempt(Report report, String title, Step step) {
    progress("running " + title);
    long started = System.nanoTime();
    try {
      step.run();
    } catch (Exception | AssertionError | LinkageError e) {
      e.printStackTrace();
      report.failed(
          title,
          e instanceof Exception ? (Exception) e : new IllegalStateException(e.toString(), e));
    }
    progress(title + " took " + (System.nanoTime() - started) / 1_000_000_000 + " s");
  }

  static void progress(String message) {
    System.err.println("[bench] " + message);
  }
}
