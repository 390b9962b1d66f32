package dev.alter.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A hosts file for a child JVM ({@code -Djdk.net.hosts.file}) that maps provider-like names such as
 * {@code api.datadoghq.com} to 127.0.0.1, so destination binding can be exercised with real names
 * while every connection stays on loopback. {@code localhost} is always mapped, because a JVM using
 * a hosts file resolves nothing else.
 */
public final class HostsFile {
  private final Path file;

  private HostsFile(Path file) {
    this.file = file;
  }

  public static HostsFile loopback(Path dir, List<String> names) {
    Set<String> all = new LinkedHashSet<>();
    all.add("localhost");
    all.addAll(names);
    List<String> lines = new ArrayList<>();
    for (String name : all) {
      lines.add("127.0.0.1 " + name);
    }
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("hosts");
      Files.write(file, lines);
      return new HostsFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path file() {
    return file;
  }

  public String jvmArgument() {
    return "-Djdk.net.hosts.file=" + file;
  }
}
