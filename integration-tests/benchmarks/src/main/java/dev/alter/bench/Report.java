package dev.alter.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The benchmark's output: the machine description, then one titled section per benchmark (a table
 * and notes on method), then a summary of every target met or missed.
 */
final class Report {
  /**
   * By title: titles start with the section number, so the report reads in order whatever ran
   * first.
   */
  private final Map<String, String> sections = new TreeMap<>();

  private final List<String> verdicts = new ArrayList<>();
  private final List<String> missed = new ArrayList<>();
  private int failures;

  void section(String title, MarkdownTable table, String... notes) {
    StringBuilder text =
        new StringBuilder("### ").append(title).append("\n\n").append(table.render());
    for (String note : notes) {
      text.append('\n').append(note).append('\n');
    }
    sections.put(title, text.append('\n').toString());
  }

  /** Records a target and whether this run met it; answers the cell text for the table. */
  String target(String what, boolean met, String figure, String target) {
    String line = what + ": " + figure + " (target " + target + ")";
    verdicts.add((met ? "met — " : "MISSED — ") + line);
    if (!met) {
      missed.add(line);
    }
    return met ? "met" : "**missed**";
  }

  /** A section that could not run (e.g. PostgreSQL absent): said plainly, never silently. */
  void skipped(String title, String reason) {
    sections.put(title, "### " + title + "\n\nNot measured: " + reason + "\n\n");
    verdicts.add("not measured — " + title + ": " + reason);
  }

  /** A section that failed: the run reports it and exits non-zero. */
  void failed(String title, Exception cause) {
    // the first line only: the full diagnosis (child command, its output) went to stderr
    String reason = String.valueOf(cause).lines().findFirst().orElse("");
    sections.put(title, "### " + title + "\n\nFAILED: " + reason + "\n\n");
    verdicts.add("FAILED — " + title + ": " + reason);
    failures++;
  }

  boolean hasFailures() {
    return failures > 0;
  }

  List<String> missedTargets() {
    return List.copyOf(missed);
  }

  String render(String header) {
    StringBuilder out = new StringBuilder(header).append('\n');
    sections.values().forEach(out::append);
    out.append("### Targets\n\n");
    verdicts.forEach(v -> out.append("- ").append(v).append('\n'));
    return out.toString();
  }
}
