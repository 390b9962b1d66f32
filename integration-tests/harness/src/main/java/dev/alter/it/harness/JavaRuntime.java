package dev.alter.it.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** A JDK that child JVMs run on: the one running the tests (17) or Temurin 25. */
public enum JavaRuntime {
  JDK_17 {
    @Override
    public Path home() {
      return Path.of(System.getProperty("java.home"));
    }
  },
  /**
   * From {@code -Dalter.java25.home}, else {@code ALTER_TEST_JDK25_HOME}, else {@code
   * /usr/lib/jvm/temurin-25-jdk-amd64}. When it is missing the test is skipped with the reason,
   * unless {@code ALTER_TEST_JDK25_REQUIRED=true} (as .ci/run sets), which fails it.
   */
  JDK_25 {
    @Override
    public Path home() {
      String home = System.getProperty("alter.java25.home");
      if (home == null || home.isBlank()) {
        home = System.getenv("ALTER_TEST_JDK25_HOME");
      }
      if (home == null || home.isBlank()) {
        home = "/usr/lib/jvm/temurin-25-jdk-amd64";
      }
      Path path = Path.of(home);
      if (!Files.isExecutable(path.resolve("bin/java"))) {
        String reason =
            "JDK 25 not found at "
                + path
                + "; install Temurin 25 there or set ALTER_TEST_JDK25_HOME";
        if ("true".equalsIgnoreCase(System.getenv("ALTER_TEST_JDK25_REQUIRED"))) {
          throw new IllegalStateException(reason + " (ALTER_TEST_JDK25_REQUIRED=true)");
        }
        Assumptions.abort(reason);
      }
      return path;
    }
  };

  public abstract Path home();

  public Path javaExecutable() {
    return home().resolve("bin").resolve("java");
  }
}
