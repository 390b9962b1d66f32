package dev.alter.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A variant against its baseline, fork by fork: the i-th window of each was measured in the same
 * fork (minutes apart at most), so ratios and differences are taken pairwise and the median over
 * forks is reported.
 */
final class Comparison {
  private final List<LoopWindow> baseline;
  private final List<LoopWindow> variant;

  Comparison(List<LoopWindow> baseline, List<LoopWindow> variant) {
    if (baseline.size() != variant.size()) {
      throw new IllegalArgumentException("unpaired windows");
    }
    this.baseline = baseline;
    this.variant = variant;
  }

  double throughputRatio() {
    return pairwise((b, v) -> v.throughput() / b.throughput());
  }

  /** Added latency at p50, in nanoseconds (negative: the variant was faster in this run). */
  double addedP50() {
    return pairwise((b, v) -> v.p50Nanos() - (double) b.p50Nanos());
  }

  double addedP99() {
    return pairwise((b, v) -> v.p99Nanos() - (double) b.p99Nanos());
  }

  double cpuRatio() {
    return pairwise((b, v) -> v.cpuMicrosPerRequest() / b.cpuMicrosPerRequest());
  }

  List<Double> baseline(ToDoubleFunction<LoopWindow> metric) {
    return values(baseline, metric);
  }

  List<Double> variant(ToDoubleFunction<LoopWindow> metric) {
    return values(variant, metric);
  }

  private static List<Double> values(
      List<LoopWindow> windows, ToDoubleFunction<LoopWindow> metric) {
    List<Double> values = new ArrayList<>();
    windows.forEach(w -> values.add(metric.applyAsDouble(w)));
    return values;
  }

  private interface PairMetric {
    double of(LoopWindow baseline, LoopWindow variant);
  }

  private double pairwise(PairMetric metric) {
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < baseline.size(); i++) {
      values.add(metric.of(baseline.get(i), variant.get(i)));
    }
    return Stats.median(values);
  }
}
