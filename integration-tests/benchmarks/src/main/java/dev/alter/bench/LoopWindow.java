package dev.alter.bench;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One measured window of a {@code RequestLoop} child: requests completed, errors, elapsed time,
 * latency percentiles, the CPU all processes involved spent in it, and the child's JIT compilation
 * time in it (compiling shares the loop's core).
 */
record LoopWindow(
    long requests,
    long errors,
    String firstError,
    long elapsedNanos,
    long p50Nanos,
    long p99Nanos,
    long cpuNanos,
    long jitMillis) {

  static LoopWindow from(JsonNode report, long cpuNanos) {
    if (report.has("error")) {
      throw new IllegalStateException(
          "child refused the command: " + report.path("error").asText());
    }
    return new LoopWindow(
        report.path("requests").asLong(),
        report.path("errors").asLong(),
        report.path("first_error").isNull() ? null : report.path("first_error").asText(),
        report.path("elapsed_ns").asLong(),
        report.path("p50_ns").asLong(),
        report.path("p99_ns").asLong(),
        cpuNanos,
        report.path("jit_ms").asLong());
  }

  double throughput() {
    return requests / (elapsedNanos / 1e9);
  }

  double cpuMicrosPerRequest() {
    return requests == 0 ? Double.NaN : cpuNanos / 1e3 / requests;
  }
}
