package dev.alter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.bench.child.SteadySender;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Section 8: how fast a change reaches running agents, and what holding many subscriptions costs.
 *
 * <p>Two service processes (replicas A and B) on one PostgreSQL database. An app under the agent,
 * subscribed to A, sends a tagged request every {@value #INTERVAL_MILLIS} ms to the stand-in
 * provider; a grant is revoked, or its secret rotated, through A (same replica) or B (across
 * replicas), and the provider's arrival times give revoke-to-last-injection and
 * rotate-to-first-new-value, counted from the moment the operator's call returned.
 *
 * <p>Then B and the app stop, and A's idle CPU and memory are read with no subscriber and with
 * {@value #SUBSCRIBERS} light subscribers ({@link LightSubscribers}), and the time one revoke takes
 * to reach all of them.
 */
final class LiveControlBenchmark {
  static final int SUBSCRIBERS = 1_000;
  private static final long INTERVAL_MILLIS = 5;
  private static final long BEFORE_CHANGE_MILLIS = 700;
  private static final long WINDOW_MILLIS = 1_700;
  private static final String SERVICE_JAR = "alter-resolver-service";

  private final Settings settings;
  private final RecordingServer provider;
  private final Path workDir;

  LiveControlBenchmark(Settings settings, RecordingServer provider, Path workDir) {
    this.settings = settings;
    this.provider = provider;
    this.workDir = workDir;
  }

  private int trials() {
    return switch (settings.mode()) {
      case "full" -> 20;
      case "quick" -> 10;
      default -> 2;
    };
  }

  private Duration idleWindow() {
    return switch (settings.mode()) {
      case "full" -> Duration.ofSeconds(60);
      case "quick" -> Duration.ofSeconds(20);
      default -> Duration.ofSeconds(2);
    };
  }

  private int fanOutRounds() {
    return "smoke".equals(settings.mode()) ? 1 : 5;
  }

  private int subscribers() {
    return "smoke".equals(settings.mode()) ? 20 : SUBSCRIBERS;
  }

  void run(Report report) throws SQLException, IOException, InterruptedException {
    try (StoreUnderTest a = StoreUnderTest.postgres(workDir.resolve("live-a"))) {
      ResolverServiceProcess b =
          ResolverServiceProcess.startReplicaOf(a.service, workDir.resolve("live-b"));
      ProviderFixture fixture = new ProviderFixture(a.service, provider, "live");
      try {
        latencies(report, fixture, a.service, b);
      } finally {
        b.close();
      }
      subscriberCost(report, fixture);
    }
  }

  private void latencies(
      Report report, ProviderFixture fixture, ResolverServiceProcess a, ResolverServiceProcess b)
      throws InterruptedException, IOException {
    MarkdownTable table =
        new MarkdownTable("Change", "Made through", "p50", "p99", "max", "Trials");
    ChildJvm jvm = ChildJvm.create().jvmArgument("-XX:TieredStopAtLevel=4");
    ClientClasspath.entries().forEach(jvm::classpathEntry);
    // a generous resolve budget: a loaded machine must not turn a slow cold resolve into a gap
    jvm.main(SteadySender.class, fixture.url())
        .withAgent()
        .resolver(a.baseUrl(), fixture.app.apiKey)
        .systemProperty("alter.resolve.timeout", "10s");
    try (RunningChild app = jvm.start()) {
      String rotated = fixture.admin.createSystemGrant(fixture.secretId, "live-rotate");
      warm(app, rotated, 3_000); // the agent, its connections and the grant
      // the secret's value now: the revoke trials after a rotate row see the rotated value
      String[] current = {fixture.credential};
      for (ResolverServiceProcess through : List.of(a, b)) {
        String label = through == a ? "A (same replica)" : "B (across replicas)";
        AdminClient admin = through.admin();
        long[] revoke = new long[trials()];
        for (int i = 0; i < revoke.length; i++) {
          String grant = fixture.admin.createSystemGrant(fixture.secretId, "live-revoke-" + i);
          warm(app, grant, 200);
          long returned = window(app, grant, () -> admin.revokeGrant(grant));
          revoke[i] =
              lastArrival(r -> current[0].equals(r.header(ProviderFixture.HEADER))) - returned;
        }
        row(table, "revoke → last injection", label, revoke);
        long[] rotate = new long[trials()];
        for (int i = 0; i < rotate.length; i++) {
          String value = "live" + RandomHex.of(16);
          long returned = window(app, rotated, () -> admin.rotate(fixture.secretId, value));
          rotate[i] = firstArrival(r -> value.equals(r.header(ProviderFixture.HEADER))) - returned;
          current[0] = value;
        }
        row(table, "rotate → first new value", label, rotate);
      }
    }
    report.section(
        "8. Live control: revocation and rotation reaching a running agent",
        table,
        "Two service processes on one PostgreSQL; the app (JDK HttpClient under the agent, "
            + "subscribed to A) sends a tagged request every "
            + INTERVAL_MILLIS
            + " ms to the plain-HTTP stand-in provider; secrets have a 3,600 s TTL, so only the "
            + "change feed explains the change. Milliseconds from the moment the operator's call "
            + "returned to the provider's arrival time of the last request carrying the revoked "
            + "credential, or of the first carrying the new value (a negative figure: the agent "
            + "had acted before the call's answer reached the operator). The request interval "
            + "bounds the resolution. The issue's promise is 1,000 ms.");
  }

  interface Change {
    void make();
  }

  /**
   * One trial: the app sends for {@value #WINDOW_MILLIS} ms; the change is made after {@value
   * #BEFORE_CHANGE_MILLIS} ms. Returns when the change call returned (epoch millis).
   */
  private long window(RunningChild app, String grant, Change change) throws InterruptedException {
    provider.clear();
    CompletableFuture<JsonNode> run =
        CompletableFuture.supplyAsync(
            () ->
                app.ask(
                    "run " + grant + " " + INTERVAL_MILLIS + " " + WINDOW_MILLIS,
                    Duration.ofMillis(WINDOW_MILLIS + 60_000)));
    Thread.sleep(BEFORE_CHANGE_MILLIS);
    change.make();
    long returned = System.currentTimeMillis();
    JsonNode sent = run.join();
    if (sent.path("sent").asLong() < 10) {
      throw new IllegalStateException("the app sent too few requests: " + sent);
    }
    return returned;
  }

  /** Sends for a while without measuring: the grant is resolved before a trial starts. */
  private void warm(RunningChild app, String grant, long millis) {
    JsonNode sent =
        app.ask(
            "run " + grant + " " + INTERVAL_MILLIS + " " + millis,
            Duration.ofMillis(millis + 60_000));
    if (sent.path("ok").asLong() == 0) {
      throw new IllegalStateException("warming " + grant + " failed: " + sent);
    }
  }

  private long lastArrival(Predicate<RecordedRequest> which) {
    return provider.requests().stream()
        .filter(which)
        .mapToLong(RecordedRequest::receivedAtMillis)
        .max()
        .orElseThrow(() -> new IllegalStateException("no request carried the credential"));
  }

  private long firstArrival(Predicate<RecordedRequest> which) {
    return provider.requests().stream()
        .filter(which)
        .mapToLong(RecordedRequest::receivedAtMillis)
        .min()
        .orElseThrow(() -> new IllegalStateException("no request carried the new value"));
  }

  private static void row(MarkdownTable table, String change, String through, long[] millis) {
    long[] sorted = millis.clone();
    Arrays.sort(sorted);
    table.row(
        change,
        through,
        ms(Stats.percentile(millis, 0.5)),
        ms(Stats.percentile(millis, 0.99)),
        ms(sorted[sorted.length - 1]),
        Integer.toString(millis.length));
  }

  private static String ms(double millis) {
    return String.format(java.util.Locale.ROOT, "%.0f ms", millis);
  }

  private void subscriberCost(Report report, ProviderFixture fixture)
      throws InterruptedException, IOException {
    long pid = servicePid();
    Duration idle = idleWindow();
    Idle none = idle(pid, idle);
    int count = subscribers();
    MarkdownTable cost =
        new MarkdownTable("Subscribers on replica A", "CPU per minute", "RSS", "Heap used");
    MarkdownTable fanOut =
        new MarkdownTable("One revoke reaching", "first", "p50", "p99", "last", "Rounds");
    long openedIn;
    int reconnects;
    try (LightSubscribers subscribers =
        new LightSubscribers(fixture.service.baseUrl(), fixture.app.apiKey)) {
      long started = System.nanoTime();
      subscribers.open(count, 50);
      openedIn = System.nanoTime() - started;
      Thread.sleep(3_000); // the opening burst settles
      Idle loaded = idle(pid, idle);
      cost.row("0", none.cpuPerMinute(), Format.mib(none.rssBytes), Format.mib(none.heapBytes));
      cost.row(
          String.format("%,d", count),
          loaded.cpuPerMinute(),
          Format.mib(loaded.rssBytes),
          Format.mib(loaded.heapBytes));
      int rounds = fanOutRounds();
      long[] first = new long[rounds];
      long[] median = new long[rounds];
      long[] p99 = new long[rounds];
      long[] last = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        String grant = fixture.admin.createSystemGrant(fixture.secretId, "fan-out-" + i);
        subscribers.watch(grant);
        fixture.admin.revokeGrant(grant);
        long returned = System.nanoTime();
        long[] seen = subscribers.awaitAll(Duration.ofSeconds(60));
        for (int j = 0; j < seen.length; j++) {
          seen[j] -= returned;
        }
        Arrays.sort(seen);
        first[i] = seen[0];
        median[i] = (long) Stats.percentile(seen, 0.5);
        p99[i] = (long) Stats.percentile(seen, 0.99);
        last[i] = seen[seen.length - 1];
        Thread.sleep(1_000);
      }
      fanOut.row(
          String.format("%,d subscribers (median of the rounds)", count),
          Format.millis(Stats.percentile(first, 0.5)),
          Format.millis(Stats.percentile(median, 0.5)),
          Format.millis(Stats.percentile(p99, 0.5)),
          Format.millis(Stats.percentile(last, 0.5)),
          Integer.toString(rounds));
      reconnects = subscribers.reconnects();
    }
    report.section(
        "8. Live control: "
            + String.format("%,d", count)
            + " subscribed agents on one replica (idle cost, fan-out)",
        cost,
        "Replica A alone (PostgreSQL), read over "
            + idle.toSeconds()
            + " s idle windows: CPU time of the service process per minute (/proc), its resident "
            + "memory, and its heap in use after a full GC (jcmd). The subscribers are light "
            + "clients in the benchmark JVM doing on the wire what the agent does: a signed "
            + "POST /v1/changes, the event stream, and a signed heartbeat at the service's "
            + "interval (2 s by default), so the idle cost includes "
            + String.format("%,d", count / 2)
            + " verified heartbeats a second. Opening the "
            + String.format("%,d", count)
            + " subscriptions (50 at a time) took "
            + Format.millis(openedIn)
            + "; streams the service ended and the subscriber opened again (resuming from its"
            + " sequence, as the agent does) during the idle window and the fan-out rounds: "
            + reconnects
            + ".");
    report.section(
        "8. Live control: time to fan one change out to "
            + String.format("%,d", count)
            + " subscribers",
        fanOut,
        "From the moment the revoke call (through A) returned to the moment each subscriber read "
            + "the change event naming the grant; the figures are the median over the rounds.");
  }

  /** One idle window of the service process: CPU, RSS, heap after GC. */
  private record Idle(long cpuNanos, Duration window, long rssBytes, long heapBytes) {
    String cpuPerMinute() {
      double perMinute = cpuNanos * (60_000.0 / window.toMillis()) / 1e9;
      return String.format(java.util.Locale.ROOT, "%.2f s", perMinute);
    }
  }

  private static Idle idle(long pid, Duration window) throws InterruptedException, IOException {
    Predicate<String> service = cmd -> cmd.contains(SERVICE_JAR);
    ProcessCpu before = ProcessCpu.descendants(service);
    Thread.sleep(window.toMillis());
    long cpu = ProcessCpu.descendants(service).nanosSince(before);
    return new Idle(cpu, window, rss(pid), heapAfterGc(pid));
  }

  private static long servicePid() {
    List<ProcessHandle> services =
        ProcessHandle.current()
            .descendants()
            .filter(p -> p.info().commandLine().orElse("").contains(SERVICE_JAR))
            .toList();
    if (services.size() != 1) {
      throw new IllegalStateException(
          "expected replica A alone, found " + services.size() + " service processes");
    }
    return services.get(0).pid();
  }

  private static long rss(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }

  /** Runs a full GC in the service and reads its heap in use ({@code jcmd GC.heap_info}). */
  private static long heapAfterGc(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    run(jcmd.toString(), Long.toString(pid), "GC.run");
    String info = run(jcmd.toString(), Long.toString(pid), "GC.heap_info");
    // Serial GC: "def new generation total 1234K, used 567K ..." and "tenured generation ..."
    long used = 0;
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("generation\\s+total \\d+K, used (\\d+)K").matcher(info);
    while (m.find()) {
      used += Long.parseLong(m.group(1)) * 1024;
    }
    if (used == 0) {
      throw new IllegalStateException("could not read the service's heap: " + info);
    }
    return used;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
