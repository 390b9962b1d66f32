package dev.alter.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One resolver service per test JVM, started on first use and stopped when the JVM exits, for test
 * classes that only need a running service (start-up costs seconds; tests isolate themselves by
 * creating their own apps, secrets and grants). Its working directory, with the service log, is
 * under {@code target/it-work/}.
 */
public final class SharedResolverService {
  private static ResolverServiceProcess instance;

  private SharedResolverService() {}

  public static synchronized ResolverServiceProcess get() {
    if (instance == null) {
      ResolverServiceProcess started =
          ResolverServiceProcess.start(workDirectory("shared-service"));
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "stop-resolver-service"));
      instance = started;
    }
    return instance;
  }

  /** A fresh directory under {@code target/it-work/} (kept after the run for diagnosis). */
  public static Path workDirectory(String name) {
    try {
      Path root = Path.of(System.getProperty("alter.it.work", "target/it-work")).toAbsolutePath();
      Files.createDirectories(root);
      return Files.createTempDirectory(root, name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
