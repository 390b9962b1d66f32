package dev.alter.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shaded service jar ({@code target/alter-resolver-service.jar}, built by {@code package}) as
 * an operator runs it: a separate JVM configured through {@code ALTER_*} environment variables, its
 * output in a log file. Tests named {@code *IT} use it (they run after package).
 */
final class ServiceProcess implements AutoCloseable {
  static final Path JAR = Path.of("target/alter-resolver-service.jar").toAbsolutePath();
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final Path log;
  private final Path portFile;

  private ServiceProcess(Process process, Path log, Path portFile) {
    this.process = process;
    this.log = log;
    this.portFile = portFile;
  }

  /**
   * Launches the service; {@code env} are its {@code ALTER_*} settings (none is inherited from the
   * test's environment). The port goes to {@code <workDir>/port}, the output to {@code
   * <workDir>/service-N.log}.
   */
  static ServiceProcess launch(Path workDir, Map<String, String> env) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR + " is missing: *IT tests run after package (mvn verify)");
    }
    try {
      Files.createDirectories(workDir);
      Path portFile = workDir.resolve("port");
      Files.deleteIfExists(portFile);
      Path log = nextLog(workDir);
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-Xmx256m",
                  "-jar",
                  JAR.toString()));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder
          .environment()
          .keySet()
          .removeIf(name -> name.startsWith("ALTER_") || name.equals("JAVA_TOOL_OPTIONS"));
      builder.environment().put("ALTER_PORT", "0");
      builder.environment().put("ALTER_PORT_FILE", portFile.toString());
      builder.environment().putAll(env);
      return new ServiceProcess(builder.start(), log, portFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path nextLog(Path workDir) {
    for (int n = 1; ; n++) {
      Path log = workDir.resolve("service-" + n + ".log");
      if (!Files.exists(log)) {
        return log;
      }
    }
  }

  /**
   * The settings that point a service at this store, with its admin key file in the data directory.
   */
  static Map<String, String> storeEnvironment(TestStore store) {
    Map<String, String> env = new HashMap<>();
    env.put("ALTER_DATA_DIR", store.dataDir.toString());
    env.put("ALTER_ADMIN_KEY_FILE", store.dataDir.resolve("admin.key").toString());
    if (store.jdbcUrl != null) {
      env.put("ALTER_DB_URL", store.jdbcUrl);
      env.put("ALTER_DB_USER", TestStore.PG_USER);
      if (TestStore.PG_PASSWORD != null) {
        env.put("ALTER_DB_PASSWORD", TestStore.PG_PASSWORD);
      }
    }
    return env;
  }

  /** Waits until the service answers {@code /readyz} with 200; returns its base URL. */
  String awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    ApiClient probe = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the service exited with " + process.exitValue() + "\n" + output());
      }
      try {
        if (probe == null && Files.exists(portFile)) {
          String port = Files.readString(portFile, StandardCharsets.US_ASCII).trim();
          probe = new ApiClient("http://127.0.0.1:" + port);
        }
        if (probe != null && probe.get("/readyz", null).status() == 200) {
          return "http://127.0.0.1:" + Files.readString(portFile, StandardCharsets.US_ASCII).trim();
        }
      } catch (IOException | RuntimeException notYet) {
        // not listening yet
      }
      pause();
    }
    throw new IllegalStateException(
        "the service was not ready within " + READY_TIMEOUT + "\n" + output());
  }

  /** Waits for the process to end by itself; returns its exit status. */
  int awaitExit() {
    try {
      if (!process.waitFor(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            "the service is still running after " + READY_TIMEOUT + "\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGKILL on Linux: no shutdown hook, no clean close of the store. */
  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the service survived SIGKILL for 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Everything this launch printed. */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
