package dev.alter.bench;

import java.util.Locale;

/** Number formats of the report. */
final class Format {
  private Format() {}

  static String ratio(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  static String count(double value) {
    return String.format(Locale.ROOT, "%,.0f", value);
  }

  /** Nanoseconds as microseconds with a sign where it matters. */
  static String micros(double nanos) {
    return String.format(Locale.ROOT, "%+.1f µs", nanos / 1e3);
  }

  static String microsPlain(double nanos) {
    return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
  }

  static String millis(double nanos) {
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }

  /** A window length, e.g. {@code 5.0} (seconds). */
  static String seconds(java.time.Duration duration) {
    return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
  }

  static String mib(double bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
