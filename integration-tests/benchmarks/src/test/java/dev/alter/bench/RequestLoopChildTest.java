package dev.alter.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.bench.child.RequestLoop;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.RunningChild;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The measured app's protocol, end to end in a child JVM (no agent, a few hundred milliseconds): it
 * answers a window command with counts and percentiles the benchmark can use. Nothing here is a
 * timing assertion.
 */
class RequestLoopChildTest {
  @Test
  void aWindowReportsCompletedRequestsAndPercentiles() {
    try (RecordingServer server = RecordingServer.http()) {
      ChildJvm jvm = ChildJvm.create();
      ClientClasspath.entries().forEach(jvm::classpathEntry);
      jvm.main(RequestLoop.class, "jdk", server.url("/loop"), "DD-API-KEY")
          .env(RequestLoop.HEADER_VALUE_ENV, "own-key");
      try (RunningChild child = jvm.start()) {
        JsonNode report = child.ask("run 300 2", Duration.ofSeconds(60));
        LoopWindow window = LoopWindow.from(report, 0);

        assertThat(window.errors()).isZero();
        assertThat(window.requests()).isPositive();
        assertThat(server.requestCount()).isGreaterThanOrEqualTo((int) window.requests());
        assertThat(window.p50Nanos()).isPositive().isLessThanOrEqualTo(window.p99Nanos());
        assertThat(window.throughput()).isPositive();
        // a fresh JVM's first window always compiles: the report carries the JIT's time
        assertThat(window.jitMillis()).isPositive();
        assertThat(server.requests().get(0).header("DD-API-KEY")).isEqualTo("own-key");

        JsonNode refused = child.ask("jump", Duration.ofSeconds(30));
        assertThat(refused.path("error").asText()).contains("unknown command");
      }
    }
  }
}
