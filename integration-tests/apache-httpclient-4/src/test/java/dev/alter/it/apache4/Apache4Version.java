package dev.alter.it.apache4;

import dev.alter.it.harness.ClientJars;
import java.nio.file.Path;
import java.util.List;

/**
 * One supported HttpClient 4.5 release and the jars a child app runs it with (copied by the pom).
 */
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
    return ClientJars.in("alter.it.clients", "apache-" + release);
  }
}
