package dev.alter.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The jars of one client version that a test module's build copies under {@code target/clients}
 * (each version in a directory of its own), for a child JVM's class path.
 */
public final class ClientJars {
  private ClientJars() {}

  /**
   * The jars in {@code <clients>/<directory>}, sorted; {@code clients} is the system property
   * {@code clientsProperty} (set by the module's surefire configuration) or {@code target/clients}.
   */
  public static List<Path> in(String clientsProperty, String directory) {
    Path dir = Path.of(System.getProperty(clientsProperty, "target/clients")).resolve(directory);
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> jars =
          files.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
      if (jars.isEmpty()) {
        throw new IllegalStateException(
            "no client jars in " + dir + "; run the tests through Maven");
      }
      return jars;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "client jars missing at " + dir + "; run the tests through Maven", e);
    }
  }
}
