package dev.alter.it.apache4;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** One supported HttpClient 4.5 release and the jars a child app runs it with (copied by the pom). */
enum Apache4Version {
  V4_5_13("4.5.13"),
  V4_5_14("4.5.14");

  private final String release;

  Apache4Version(String release) {
    this.release = release;
  }

  String release() {
    return release;
  }

  List<Path> jars() {
    Path dir = Path.of(System.getProperty("alter.it.clients", "target/clients")).resolve("apache-" + release);
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
      if (jars.isEmpty()) {
        throw new IllegalStateException("no client jars in " + dir + "; run the module's generate-test-resources");
      }
      return jars;
    } catch (IOException e) {
      throw new UncheckedIOException("client jars missing at " + dir
          + "; run mvn -pl integration-tests/apache-httpclient-4 test", e);
    }
  }
}
