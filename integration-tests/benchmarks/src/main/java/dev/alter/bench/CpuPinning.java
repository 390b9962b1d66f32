package dev.alter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a request loop and the stand-in provider on separate cores while a loop section runs: the
 * loop child on the last CPU, this JVM (which serves the provider) on the others. Left to the
 * scheduler, both move between the two cores of a small machine and the no-agent baseline alone
 * moved ±8–20 % between forks, more than the few percent being measured. Needs 2+ CPUs and {@code
 * taskset} (util-linux); without them nothing is pinned and {@link #describe()} says so.
 */
final class CpuPinning implements AutoCloseable {
  private final boolean pinned;
  private final int cpus;

  /** The resolver service's process, or -1 for none. */
  private final long servicePid;

  private CpuPinning(boolean pinned, int cpus, long servicePid) {
    this.pinned = pinned;
    this.cpus = cpus;
    this.servicePid = servicePid;
  }

  /** Pins nothing: for sections whose client runs several threads beside a proxy. */
  static CpuPinning none() {
    return new CpuPinning(false, Runtime.getRuntime().availableProcessors(), -1);
  }

  /**
   * @param servicePid the resolver service's process, kept off the loop's core too: it answers
   *     every agent's heartbeat every two seconds, which on the loop's core would land in whichever
   *     child was being measured
   */
  static CpuPinning apply(long servicePid) {
    int cpus = Runtime.getRuntime().availableProcessors();
    if (cpus < 2 || taskset() == null) {
      return new CpuPinning(false, cpus, servicePid);
    }
    String others = "0-" + (cpus - 2);
    long self = ProcessHandle.current().pid();
    boolean pinned = setAffinity(self, others);
    if (pinned && !setAffinity(servicePid, others)) {
      setAffinity(self, "0-" + (cpus - 1));
      pinned = false;
    }
    return new CpuPinning(pinned, cpus, servicePid);
  }

  /** The command a loop child is started through: empty when nothing is pinned. */
  List<String> childLauncher() {
    return pinned ? List.of(taskset(), "-c", Integer.toString(cpus - 1)) : List.of();
  }

  /** One sentence for the report. */
  String describe() {
    return pinned
        ? "The client JVM ran on CPU "
            + (cpus - 1)
            + " and the stand-in provider and the resolver service on the other"
            + (cpus > 2 ? "s" : "")
            + " (taskset), so neither took the client's core."
        : "Client and provider were not pinned to separate cores (needs 2+ CPUs and taskset).";
  }

  /** Gives this JVM every CPU back. */
  @Override
  public void close() {
    if (pinned) {
      setAffinity(ProcessHandle.current().pid(), "0-" + (cpus - 1));
      setAffinity(servicePid, "0-" + (cpus - 1));
    }
  }

  /** Sets the CPUs of every thread of process {@code pid}. */
  private static boolean setAffinity(long pid, String list) {
    if (pid < 0) {
      return true;
    }
    try {
      Process p =
          new ProcessBuilder(taskset(), "-a", "-p", "-c", list, Long.toString(pid))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String taskset() {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
      Path candidate = Path.of(dir, "taskset");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
