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

  private CpuPinning(boolean pinned, int cpus) {
    this.pinned = pinned;
    this.cpus = cpus;
  }

  /** Pins nothing: for sections whose client runs several threads beside a proxy. */
  static CpuPinning none() {
    return new CpuPinning(false, Runtime.getRuntime().availableProcessors());
  }

  static CpuPinning apply() {
    int cpus = Runtime.getRuntime().availableProcessors();
    if (cpus < 2 || taskset() == null) {
      return new CpuPinning(false, cpus);
    }
    boolean pinned = setOwnAffinity("0-" + (cpus - 2));
    return new CpuPinning(pinned, cpus);
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
            + " and the stand-in provider on the other"
            + (cpus > 2 ? "s" : "")
            + " (taskset), so neither took the other's core."
        : "Client and provider were not pinned to separate cores (needs 2+ CPUs and taskset).";
  }

  /** Gives this JVM every CPU back. */
  @Override
  public void close() {
    if (pinned) {
      setOwnAffinity("0-" + (cpus - 1));
    }
  }

  private static boolean setOwnAffinity(String list) {
    String pid = Long.toString(ProcessHandle.current().pid());
    try {
      Process p =
          new ProcessBuilder(taskset(), "-a", "-p", "-c", list, pid)
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
