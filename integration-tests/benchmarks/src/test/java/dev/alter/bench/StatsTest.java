package dev.alter.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void nearestRankPercentiles() {
    long[] values = new long[100];
    for (int i = 0; i < 100; i++) {
      values[i] = 100 - i;
    }
    assertThat(Stats.percentile(values, 0.99)).isEqualTo(99);
    assertThat(Stats.percentile(values, 0.01)).isEqualTo(1);
    assertThat(Stats.percentile(new long[0], 0.5)).isNaN();
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddlePair() {
    assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
  }

  @Test
  void comparisonsPairWindowsOfTheSameFork() {
    LoopWindow baseFast = new LoopWindow(1000, 0, null, 1_000_000_000L, 100_000, 200_000, 0, 0);
    LoopWindow baseSlow = new LoopWindow(500, 0, null, 1_000_000_000L, 200_000, 400_000, 0, 0);
    LoopWindow variantFast = new LoopWindow(990, 0, null, 1_000_000_000L, 101_000, 210_000, 0, 0);
    LoopWindow variantSlow = new LoopWindow(495, 0, null, 1_000_000_000L, 202_000, 404_000, 0, 0);
    Comparison comparison =
        new Comparison(List.of(baseFast, baseSlow), List.of(variantFast, variantSlow));

    assertThat(comparison.throughputRatio())
        .isEqualTo(0.99, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(comparison.addedP50()).isEqualTo(1500.0);
  }

  @Test
  void spreadIsHalfTheRangeRelativeToTheMedian() {
    assertThat(ClientOverheadBenchmark.spread(List.of(90.0, 100.0, 110.0))).isEqualTo("±10.0 %");
  }

  @Test
  void jitShareIsCompileTimeOverTheWindowsTime() {
    LoopWindow busy = new LoopWindow(1000, 0, null, 1_000_000_000L, 100_000, 200_000, 0, 30);
    LoopWindow quiet = new LoopWindow(1000, 0, null, 1_000_000_000L, 100_000, 200_000, 0, 0);

    assertThat(ClientOverheadBenchmark.jitShare(List.of(busy, quiet))).isEqualTo("1.5 %");
    assertThat(ClientOverheadBenchmark.jitShare(List.of())).isEqualTo("–");
  }
}
