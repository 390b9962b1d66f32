package dev.alter.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Exit code, output and JSON reports of a finished child JVM. */
public final class ChildResult {
  private final List<String> command;
  private final int exitCode;
  private final String stdout;
  private final String stderr;
  private final Duration elapsed;

  ChildResult(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {
    this.command = command;
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
    this.elapsed = elapsed;
  }

  public int exitCode() {
    return exitCode;
  }

  public String stdout() {
    return stdout;
  }

  public String stderr() {
    return stderr;
  }

  public Duration elapsed() {
    return elapsed;
  }

  /** Every JSON line the app printed on stdout, in order. */
  public List<JsonNode> reports() {
    List<JsonNode> reports = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      if (line.startsWith("{")) {
        reports.add(Json.parse(line));
      }
    }
    return reports;
  }

  /**
   * The app's last JSON report; fails with the full output if the app exited non-zero or printed
   * none.
   */
  public JsonNode report() {
    requireSuccess();
    List<JsonNode> reports = reports();
    if (reports.isEmpty()) {
      throw new AssertionError("child printed no JSON report\n" + describe());
    }
    return reports.get(reports.size() - 1);
  }

  public ChildResult requireSuccess() {
    if (exitCode != 0) {
      throw new AssertionError("child exited with " + exitCode + "\n" + describe());
    }
    return this;
  }

  /** Command and output, for assertion messages. */
  public String describe() {
    return "command: "
        + String.join(" ", command)
        + "\n--- stdout\n"
        + stdout
        + "--- stderr\n"
        + stderr;
  }

  @Override
  public String toString() {
    return describe();
  }
}
