package dev.alter.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void rendersSectionsInNumberOrderWithEveryTargetAndItsVerdict() {
    Report report = new Report();
    MarkdownTable sizes = new MarkdownTable("Agent jar", "Size");
    sizes.row("alter-agent.jar", "5.3 MiB");
    String met = report.target("jar size", true, "5.3 MiB", "< 6 MiB");
    report.section("6. Agent jar size", sizes, "jar: " + met + ".");
    MarkdownTable ratios = new MarkdownTable("Client", "Tagged / no agent");
    ratios.row("OkHttp 4.12", "0.950");
    String missed = report.target("OkHttp tagged throughput ratio", false, "0.950", "≥ 0.98");
    report.section("1. Per-request overhead", ratios, "OkHttp: " + missed);

    String text = report.render("## Benchmark results (test)\n");

    assertThat(text.indexOf("### 1. Per-request overhead"))
        .isLessThan(text.indexOf("### 6. Agent jar size"));
    assertThat(text)
        .contains("| Client | Tagged / no agent |\n|---|---|\n| OkHttp 4.12 | 0.950 |\n");
    assertThat(text).contains("- met — jar size: 5.3 MiB (target < 6 MiB)");
    assertThat(text).contains("- MISSED — OkHttp tagged throughput ratio: 0.950 (target ≥ 0.98)");
    assertThat(missed).isEqualTo("**missed**");
    assertThat(report.missedTargets())
        .containsExactly("OkHttp tagged throughput ratio: 0.950 (target ≥ 0.98)");
    assertThat(report.hasFailures()).isFalse();
  }

  @Test
  void aFailedSectionIsReportedByItsFirstLineAndFailsTheRun() {
    Report report = new Report();
    report.failed(
        "2. Agent vs nginx sidecar proxy",
        new IllegalStateException("nginx exited with 1\nlong diagnosis"));

    assertThat(report.render(""))
        .contains("FAILED: java.lang.IllegalStateException: nginx exited with 1\n")
        .doesNotContain("long diagnosis");
    assertThat(report.hasFailures()).isTrue();
  }

  @Test
  void cellsCannotBreakTheTable() {
    String rendered = new MarkdownTable("a").row("x | y").render();

    assertThat(rendered).isEqualTo("| a |\n|---|\n| x \\| y |\n");
  }
}
