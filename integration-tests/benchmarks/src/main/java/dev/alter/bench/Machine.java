package dev.alter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The header of the report: when, on what machine and JDK, with which command. */
final class Machine {
  private Machine() {}

  static String describe(String command, Settings settings) {
    return "## Benchmark results ("
        + settings.mode()
        + ")\n\n"
        + "| | |\n|---|---|\n"
        + "| Date | "
        + ZonedDateTime.now(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))
        + " |\n"
        + "| Machine | "
        + Runtime.getRuntime().availableProcessors()
        + " CPUs (nproc), "
        + cpuModel()
        + ", "
        + memory()
        + ", load average at start "
        + loadAverage()
        + " |\n"
        + "| JDK | "
        + System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version")
        + " |\n"
        + "| Command | `"
        + command
        + "` |\n"
        + "| Network | loopback only (127.0.0.1) |\n";
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static String memory() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(l -> l.startsWith("MemTotal:"))
          .map(
              l ->
                  String.format(
                      "%.1f GiB RAM", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1048576.0))
          .findFirst()
          .orElse("unknown RAM");
    } catch (IOException e) {
      return "unknown RAM";
    }
  }

  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " / " + fields[1] + " / " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
