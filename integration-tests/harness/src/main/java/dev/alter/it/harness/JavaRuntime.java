package dev.alter.it.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/** A JDK that child JVMs run on: the one running the tests (17) or Temurin 25. */
public enum JavaRuntime {
  JDK_17 {
    @Override
    public Path home() {
      return Path.of(System.getProperty("java.home"));
    }
  },
  JDK_25 {
    @Override
    public Path home() {
      String home = System.getProperty("alter.java25.home", "/usr/lib/jvm/temurin-25-jdk-amd64");
      Path path = Path.of(home);
      if (!Files.isExecutable(path.resolve("bin/java"))) {
        throw new IllegalStateException("JDK 25 not found at " + path
            + "; install Temurin 25 there or set -Dalter.java25.home");
      }
      return path;
    }
  };

  public abstract Path home();

  public Path javaExecutable() {
    return home().resolve("bin").resolve("java");
  }
}
