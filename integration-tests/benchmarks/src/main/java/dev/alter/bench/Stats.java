package dev.alter.bench;

import java.util.Arrays;
import java.util.List;

/** Order statistics used by every section (nearest-rank percentiles, medians). */
final class Stats {
  private Stats() {}

  static double median(List<Double> values) {
    return percentile(values.stream().mapToDouble(Double::doubleValue).toArray(), 0.5);
  }

  /** Nearest-rank percentile; NaN for no values. */
  static double percentile(double[] values, double quantile) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    if (quantile == 0.5 && sorted.length % 2 == 0) {
      return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  static double percentile(long[] values, double quantile) {
    return percentile(Arrays.stream(values).asDoubleStream().toArray(), quantile);
  }
}
