package dev.alter.it.apache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** One supported client line and the jars a child app runs it with (copied by the pom). */
enum ApacheClientVersion {
  V5_1("apache-5.1", "alter.it.apache.versions.51"),
  V5_6("apache-5.6", "alter.it.apache.versions.56");

  private final String directory;
  private final String versionProperty;

  ApacheClientVersion(String directory, String versionProperty) {
    this.directory = directory;
    this.versionProperty = versionProperty;
  }

  /** The exact client version, e.g. 5.1.4, as the pom copied it. */
  String exactVersion() {
    return System.getProperty(versionProperty);
  }

  List<Path> jars() {
    Path dir = Path.of(System.getProperty("alter.it.apache.clients", "target/clients")).resolve(directory);
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
      if (jars.isEmpty()) {
        throw new IllegalStateException("no client jars in " + dir + "; run the module's generate-test-resources");
      }
      return jars;
    } catch (IOException e) {
      throw new UncheckedIOException("client jars missing at " + dir
          + "; run mvn -pl integration-tests/apache-httpclient-5 test", e);
    }
  }
}
