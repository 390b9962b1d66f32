package dev.alter.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real resolver service ({@link Artifacts#serviceJar()}) as a child process in its own data
 * directory: on the embedded H2 store by default, or on PostgreSQL through a JDBC URL. It binds an
 * ephemeral loopback port, generates its admin key into a file, and can be stopped and started
 * again on the same port and data (an outage, as the agent sees it).
 */
public final class ResolverServiceProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final Path dataDir;
  private final Path portFile;
  private final Path adminKeyFile;
  private final Path logFile;
  private final String masterKey;
  private final String jdbcUrl;
  private final Map<String, String> extraEnvironment;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  private Process process;
  private int port;
  private String adminKey;

  private ResolverServiceProcess(
      Path workDir, String jdbcUrl, Map<String, String> extraEnvironment) {
    this(workDir, jdbcUrl, extraEnvironment, newMasterKey());
  }

  private ResolverServiceProcess(
      Path workDir, String jdbcUrl, Map<String, String> extraEnvironment, String masterKey) {
    this.dataDir = workDir.resolve("data");
    this.portFile = workDir.resolve("port");
    this.adminKeyFile = workDir.resolve("admin.key");
    this.logFile = workDir.resolve("service.log");
    this.jdbcUrl = jdbcUrl;
    this.extraEnvironment = new LinkedHashMap<>(extraEnvironment);
    this.masterKey = masterKey;
  }

  private static String newMasterKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** Starts the service on the embedded H2 store in {@code workDir}. */
  public static ResolverServiceProcess start(Path workDir) {
    return start(workDir, null, Map.of());
  }

  /**
   * @param jdbcUrl a PostgreSQL JDBC URL, or null for the embedded store
   * @param extraEnvironment further {@code ALTER_*} settings
   */
  public static ResolverServiceProcess start(
      Path workDir, String jdbcUrl, Map<String, String> extraEnvironment) {
    ResolverServiceProcess service = new ResolverServiceProcess(workDir, jdbcUrl, extraEnvironment);
    service.launch(0);
    return service;
  }

  /**
   * Another replica of {@code peer}: a second process on the same PostgreSQL database with the same
   * master key, in its own work directory (it generates an admin key of its own).
   */
  public static ResolverServiceProcess startReplicaOf(ResolverServiceProcess peer, Path workDir) {
    if (peer.jdbcUrl == null) {
      throw new IllegalArgumentException("replicas share a PostgreSQL store; the peer is on H2");
    }
    ResolverServiceProcess replica =
        new ResolverServiceProcess(workDir, peer.jdbcUrl, peer.extraEnvironment, peer.masterKey);
    replica.launch(0);
    return replica;
  }

  private void launch(int requestedPort) {
    try {
      Files.createDirectories(dataDir);
      Files.deleteIfExists(portFile);
      List<String> command =
          new ArrayList<>(
              List.of(
                  JavaRuntime.JDK_17.javaExecutable().toString(),
                  "-XX:TieredStopAtLevel=1",
                  "-Xshare:auto",
                  "-XX:+UseSerialGC",
                  "-Xmx384m",
                  "-jar",
                  Artifacts.serviceJar().toString()));
      ProcessBuilder builder = new ProcessBuilder(command);
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(name -> name.startsWith("ALTER_") || name.equals("JAVA_TOOL_OPTIONS"));
      env.put("ALTER_DATA_DIR", dataDir.toString());
      env.put("ALTER_PORT", Integer.toString(requestedPort));
      env.put("ALTER_PORT_FILE", portFile.toString());
      env.put("ALTER_ADMIN_KEY_FILE", adminKeyFile.toString());
      env.put("ALTER_MASTER_KEY", masterKey);
      if (jdbcUrl != null) {
        env.put("ALTER_DB_URL", jdbcUrl);
      }
      env.putAll(extraEnvironment);
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      process = builder.start();
      port = awaitPort();
      awaitReady();
      adminKey = Files.readString(adminKeyFile, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("resolver service did not start; log: " + logFile, e);
    }
  }

  private int awaitPort() throws IOException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "resolver service exited with "
                + process.exitValue()
                + " before binding a port\n"
                + log());
      }
      if (Files.exists(portFile)) {
        String text = Files.readString(portFile, StandardCharsets.UTF_8).trim();
        if (!text.isEmpty()) {
          return Integer.parseInt(text);
        }
      }
      pause(50);
    }
    throw new IllegalStateException(
        "resolver service wrote no port file within " + READY_TIMEOUT + "\n" + log());
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "resolver service exited with " + process.exitValue() + "\n" + log());
      }
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/readyz"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && Files.exists(adminKeyFile)) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      pause(100);
    }
    throw new IllegalStateException(
        "resolver service not ready within " + READY_TIMEOUT + "\n" + log());
  }

  /** {@code http://127.0.0.1:PORT}: what the agent's {@code ALTER_RESOLVER_URL} is set to. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The operating-system process id (for signals such as {@code SIGSTOP}). */
  public long pid() {
    if (process == null) {
      throw new IllegalStateException("not running");
    }
    return process.pid();
  }

  /** The admin key the service generated on first start. */
  public String adminKey() {
    return adminKey;
  }

  public AdminClient admin() {
    return new AdminClient(baseUrl(), adminKey);
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Everything the service printed so far. */
  public String log() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops the process (the port stops answering); data and admin key stay. */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  /** {@code kill -9}: the process dies at once, with whatever it had in flight. */
  public void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly(); // SIGKILL on Unix
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        throw new IllegalStateException("resolver service survived SIGKILL for 15 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    process = null;
  }

  /** Starts it again on the same port, data directory and keys, after {@link #stop()}. */
  public void restart() {
    if (isRunning()) {
      throw new IllegalStateException("still running");
    }
    launch(port);
  }

  @Override
  public void close() {
    stop();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
