package dev.alter.it.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The real artifacts under test, located through system properties that the integration-test poms
 * set ({@code alter.agent.jar}, {@code alter.service.jar}, {@code alter.cli.jar}).
 */
public final class Artifacts {
  private Artifacts() {}

  /** {@code agent/target/alter-agent.jar}. */
  public static Path agentJar() {
    return required(
        "alter.agent.jar", "the agent jar", "mvn -B -q -pl agent/dist -am install -DskipTests");
  }

  /** {@code resolver-service/service/target/alter-resolver-service.jar}. */
  public static Path serviceJar() {
    return required(
        "alter.service.jar",
        "the resolver-service jar",
        "mvn -B -q -pl resolver-service/service -am install -DskipTests");
  }

  /** The operator CLI jar, when it has been built. */
  public static Optional<Path> cliJar() {
    String value = System.getProperty("alter.cli.jar");
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    Path path = Path.of(value).toAbsolutePath().normalize();
    return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
  }

  private static Path required(String property, String what, String build) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property "
              + property
              + " is not set; it names "
              + what
              + " and is set by integration-tests/pom.xml (run the tests through Maven)");
    }
    Path path = Path.of(value).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(
          what + " is missing at " + path + "; build it first: " + build);
    }
    return path;
  }
}
