package dev.alter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CPU time (user + system) of this process and every process it started — the child app, the
 * stand-in server (in this JVM), nginx, the resolver service — read from {@code /proc/PID/stat}. A
 * snapshot before and after a window gives the CPU that window cost across all processes involved;
 * processes that exited in between count only up to their last snapshot, so windows are taken while
 * their processes run.
 */
final class ProcessCpu {
  private static final double NANOS_PER_TICK = 1e9 / clockTicksPerSecond();

  private final Map<Long, Long> ticksByPid;

  private ProcessCpu(Map<Long, Long> ticksByPid) {
    this.ticksByPid = ticksByPid;
  }

  /** This JVM and all its descendants. */
  static ProcessCpu snapshot() {
    return snapshot(p -> true);
  }

  /** This JVM and those descendants whose command line matches. */
  static ProcessCpu snapshot(Predicate<String> commandLine) {
    Map<Long, Long> ticks = new HashMap<>();
    ProcessHandle self = ProcessHandle.current();
    if (commandLine.test(self.info().commandLine().orElse(""))) {
      read(self.pid(), ticks);
    }
    self.descendants()
        .filter(p -> commandLine.test(p.info().commandLine().orElse("")))
        .forEach(p -> read(p.pid(), ticks));
    return new ProcessCpu(ticks);
  }

  /** Descendants only (not this JVM), matching the command line. */
  static ProcessCpu descendants(Predicate<String> commandLine) {
    Map<Long, Long> ticks = new HashMap<>();
    ProcessHandle.current()
        .descendants()
        .filter(p -> commandLine.test(p.info().commandLine().orElse("")))
        .forEach(p -> read(p.pid(), ticks));
    return new ProcessCpu(ticks);
  }

  /** CPU nanoseconds spent since {@code earlier}, over the processes of both snapshots. */
  long nanosSince(ProcessCpu earlier) {
    long ticks = 0;
    for (Map.Entry<Long, Long> now : ticksByPid.entrySet()) {
      ticks += now.getValue() - earlier.ticksByPid.getOrDefault(now.getKey(), 0L);
    }
    return Math.round(ticks * NANOS_PER_TICK);
  }

  private static void read(long pid, Map<Long, Long> into) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name (field 2) may contain spaces: fields are counted after its ')'
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields[0] is field 3 (state); utime is field 14, stime field 15
      into.put(pid, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    } catch (IOException | RuntimeException gone) {
      // the process exited between listing and reading: it no longer costs anything
    }
  }

  private static long clockTicksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes()).trim();
      getconf.waitFor();
      return Long.parseLong(out);
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
