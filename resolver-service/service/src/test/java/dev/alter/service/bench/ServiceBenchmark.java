package dev.alter.service.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.X25519Keys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the packaged service as an operator runs it: cold start (process start until {@code
 * /readyz} answers 200), the first resolve, and resolves per second from a small local load loop.
 * Loopback only; bounded in time.
 *
 * <pre>
 * java -cp &lt;test classpath&gt; dev.alter.service.bench.ServiceBenchmark JAR h2|postgresql [threads] [seconds]
 * </pre>
 */
public final class ServiceBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    boolean pg = args[1].equalsIgnoreCase("postgresql");
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    Path dir = Files.createTempDirectory("alter-bench-");
    String schema = "bench_" + System.nanoTime();
    String pgUrl =
        System.getenv().getOrDefault("ALTER_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    if (pg) {
      try (Connection c = DriverManager.getConnection(pgUrl, "postgres", null);
          Statement st = c.createStatement()) {
        st.execute("CREATE SCHEMA " + schema);
      }
    }
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    String jvmOptions =
        System.getenv("ALTER_BENCH_SERVICE_JVM_OPTS"); // e.g. a flight recording of the service
    if (jvmOptions != null && !jvmOptions.isBlank()) {
      command.addAll(Arrays.asList(jvmOptions.trim().split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("service.log").toFile());
    pb.environment().put("ALTER_DATA_DIR", dir.resolve("data").toString());
    pb.environment().put("ALTER_PORT", "0");
    pb.environment().put("ALTER_PORT_FILE", dir.resolve("port").toString());
    pb.environment().put("ALTER_ADMIN_KEY_FILE", dir.resolve("admin.key").toString());
    if (pg) {
      pb.environment().put("ALTER_DB_URL", pgUrl + "?currentSchema=" + schema);
      pb.environment().put("ALTER_DB_USER", "postgres");
    }
    long t0 = System.nanoTime();
    Process service = pb.start();
    try {
      String base = awaitReady(dir.resolve("port"), service);
      long coldStartMs = (System.nanoTime() - t0) / 1_000_000;
      long startCpuMs = cpuNanos(service) / 1_000_000;
      String admin = Files.readString(dir.resolve("admin.key")).trim();

      JsonNode app = post(base, admin, "{\"name\":\"bench\"}");
      String appKey = app.path("api_key").path("key").asText();
      JsonNode secret =
          post(
              base,
              admin,
              "{\"app_id\":\""
                  + app.path("app_id").asText()
                  + "\",\"provider\":\"stripe\",\"label\":\"bench\",\"credential\":\"sk_bench_value\"}");
      String grantId =
          post(
                  base,
                  admin,
                  "{\"secret_id\":\""
                      + secret.path("secret_id").asText()
                      + "\",\"principal\":{\"type\":\"system\",\"label\":\"bench\"}}")
              .path("grant_id")
              .asText();
      String body =
          "{\"grant\":\""
              + grantId
              + "\",\"destination\":{\"method\":\"POST\",\"url\":\"https://api.stripe.com/v1/charges\"},"
              + "\"public_key\":\""
              + CredentialSealing.encodePublicKey(
                  X25519Keys.rawPublicKey(X25519Keys.generate().getPublic()))
              + "\"}";

      long f0 = System.nanoTime();
      int firstStatus = resolve(base, appKey, body);
      double firstMs = (System.nanoTime() - f0) / 1e6;

      runLoop(base, appKey, body, threads, 3, null); // warm-up
      List<Long> latencies = new ArrayList<>();
      long cpuBefore = cpuNanos(service);
      long ok = runLoop(base, appKey, body, threads, seconds, latencies);
      double cpuMsPerResolve = (cpuNanos(service) - cpuBefore) / 1e6 / Math.max(1, ok);
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf(
          "store=%s cold_start_ms=%d cold_start_service_cpu_ms=%d first_resolve_ms=%.1f (status %d)%n",
          pg ? "postgresql" : "h2", coldStartMs, startCpuMs, firstMs, firstStatus);
      System.out.printf(
          "store=%s threads=%d seconds=%d resolves=%d resolves_per_second=%.0f p50_ms=%.2f p99_ms=%.2f%n",
          pg ? "postgresql" : "h2",
          threads,
          seconds,
          ok,
          ok / (double) seconds,
          sorted[sorted.length / 2] / 1e6,
          sorted[(int) (sorted.length * 0.99)] / 1e6);
      // CPU time the service process spent per resolve: independent of other load on the
      // machine; 2 cores can serve at most about 2000 / cpu_ms resolves per second.
      System.out.printf(
          "store=%s service_cpu_ms_per_resolve=%.2f implied_max_resolves_per_second_on_2_cores=%.0f "
              + "load_average=%.1f%n",
          pg ? "postgresql" : "h2",
          cpuMsPerResolve,
          2000 / cpuMsPerResolve,
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    } finally {
      service.destroy();
      service.waitFor();
      if (pg) {
        try (Connection c = DriverManager.getConnection(pgUrl, "postgres", null);
            Statement st = c.createStatement()) {
          st.execute("DROP SCHEMA " + schema + " CASCADE");
        }
      }
    }
  }

  private static long cpuNanos(Process p) {
    return p.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
  }

  private static long runLoop(
      String base, String key, String body, int threads, int seconds, List<Long> latencies)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong ok = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    List<List<Long>> perThread = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      List<Long> mine = new ArrayList<>();
      perThread.add(mine);
      Thread t =
          new Thread(
              () -> {
                while (!stop.get()) {
                  long s = System.nanoTime();
                  try {
                    if (resolve(base, key, body) == 200) {
                      ok.incrementAndGet();
                      mine.add(System.nanoTime() - s);
                    }
                  } catch (Exception e) {
                    return;
                  }
                }
              });
      workers.add(t);
      t.start();
    }
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread t : workers) {
      t.join();
    }
    if (latencies != null) {
      perThread.forEach(latencies::addAll);
    }
    return ok.get();
  }

  private static int resolve(String base, String key, String body) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/resolve"))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static JsonNode post(String base, String key, String body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + (body.contains("\"name\"")
                                ? "/v1/apps"
                                : body.contains("\"provider\"") ? "/v1/secrets" : "/v1/grants")))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IllegalStateException(r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private static String awaitReady(Path portFile, Process service) throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) {
        throw new IllegalStateException("service exited with " + service.exitValue());
      }
      if (Files.exists(portFile)) {
        String base = "http://127.0.0.1:" + Files.readString(portFile).trim();
        try {
          if (HTTP.send(
                      HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode()
              == 200) {
            return base;
          }
        } catch (java.io.IOException notYet) {
          // keep polling
        }
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException(
        "service not ready within 120 s; args " + Arrays.toString(new String[0]));
  }
}
