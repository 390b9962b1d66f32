package dev.alter.it.apache;

import dev.alter.it.harness.ClientJars;
import java.nio.file.Path;
import java.util.List;

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
    return ClientJars.in("alter.it.apache.clients", directory);
  }
}
