package dev.alter.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child app that keeps running between steps of a test: the test writes one command per line to
 * its stdin and reads one JSON report per command from its stdout. Used where the agent's state
 * across time matters (cache TTL, rotation, revocation, outages).
 */
public final class RunningChild implements AutoCloseable {
  private final List<String> command;
  private final Process process;
  private final Writer stdin;
  private final StreamCollector stdout;
  private final StreamCollector stderr;

  RunningChild(List<String> command, Process process) {
    this.command = command;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.stdout = new StreamCollector(process.getInputStream(), "stdout");
    this.stderr = new StreamCollector(process.getErrorStream(), "stderr");
  }

  /** Sends one command line and waits for the app's JSON answer to it. */
  public JsonNode ask(String commandLine, Duration timeout) {
    try {
      stdin.write(commandLine + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("child is gone\n" + describe(), e);
    }
    return nextReport(timeout);
  }

  public JsonNode ask(String commandLine) {
    return ask(commandLine, Duration.ofSeconds(30));
  }

  /** The next JSON line on stdout (other lines are skipped). */
  public JsonNode nextReport(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no JSON report within " + timeout + "\n" + describe());
        }
        String line = stdout.nextLine(Duration.ofNanos(Math.min(left, 200_000_000L)));
        if (line == null) {
          if (!process.isAlive() && stdout.isDrained()) {
            throw new AssertionError(
                "child exited with " + process.exitValue() + " before reporting\n" + describe());
          }
          continue;
        }
        if (line.startsWith("{")) {
          return Json.parse(line);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String stderr() {
    return stderr.textSoFar();
  }

  /**
   * Waits until stderr contains {@code text} (case-insensitively): stderr is read on its own
   * thread, so what the app logged may arrive after its report on stdout. Answers all of stderr.
   */
  public String awaitStderr(String text, Duration timeout) {
    return awaitStderrSince(0, text, timeout);
  }

  /**
   * As {@link #awaitStderr}, for what stderr shows after its first {@code from} characters (e.g.
   * {@code stderr().length()} before a request): answers that part once it contains {@code text}.
   */
  public String awaitStderrSince(int from, String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String needle = text.toLowerCase(java.util.Locale.ROOT);
    while (!stderr
        .textSoFar()
        .substring(from)
        .toLowerCase(java.util.Locale.ROOT)
        .contains(needle)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "stderr did not show '" + text + "' within " + timeout + "\n" + describe());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return stderr.textSoFar().substring(from);
  }

  public String stdout() {
    return stdout.textSoFar();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String describe() {
    return "command: "
        + String.join(" ", command)
        + "\n--- stdout\n"
        + stdout.textSoFar()
        + "--- stderr\n"
        + stderr.textSoFar();
  }

  /** Closes stdin (the app's cue to exit), then waits; kills it if it does not go. */
  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already gone
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    // let the readers drain, so stdout() and stderr() are complete after close
    stdout.text(Duration.ofSeconds(5));
    stderr.text(Duration.ofSeconds(5));
  }
}
