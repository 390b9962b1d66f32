package dev.alter.it.reactornetty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.DelayingTcpProxy;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.reactornetty.app.ScriptedReactorNettyClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 1,000 concurrent tagged requests for 50 grants no process has resolved yet, on a 2-thread Reactor
 * Netty event loop, with every resolve delayed 200 ms on its way to the service; untagged requests
 * on the same loop meanwhile. Were a resolve ever waited for on the loop, both loop threads would
 * stall for seconds (50 resolves of at least 200 ms each) and the untagged requests with them. The
 * bound is on the median and generous for a loaded machine (both servers share this test's JVM).
 */
class EventLoopNeverWaitsForTheResolverTest {
  private static final int GRANTS = 50;
  private static final int REQUESTS = 1000;
  private static final long RESOLVE_DELAY_MS = 200;

  private final ClientWorld world = ClientWorld.get();

  @Test
  void coldResolvesCompleteOffTheLoopWhileUntaggedTrafficKeepsFlowing() {
    List<String> grants = new ArrayList<>();
    for (int i = 0; i < GRANTS; i++) {
      grants.add(world.admin.createSystemGrant(world.datadogSecret, "event-loop-" + i));
    }
    int servicePort = URI.create(world.service.baseUrl()).getPort();
    try (DelayingTcpProxy slowNetwork = new DelayingTcpProxy(servicePort, RESOLVE_DELAY_MS)) {
      ChildJvm child =
          ChildJvm.create()
              .runtime(JavaRuntime.JDK_17)
              .main(ScriptedReactorNettyClient.class, "HTTP11")
              .classpathOf(ChildReport.class, ScriptedReactorNettyClient.class)
              .trusting(world.certificate)
              .hosts(world.hosts)
              .withAgent()
              .resolver("http://127.0.0.1:" + slowNetwork.port(), world.app.apiKey)
              .env("ALTER_RESOLVE_TIMEOUT", "60s");
      for (Path jar : ReactorNettyRelease.REACTOR_NETTY_1_3.jars()) {
        child.classpathEntry(jar);
      }
      try (RunningChild app = child.start()) {
        app.nextReport(Duration.ofSeconds(60));
        world.clearRecordings();
        JsonNode report =
            app.ask(
                "burst "
                    + world.datadogOrigin()
                    + "/burst "
                    + world.otherPort.url("/untagged")
                    + " "
                    + REQUESTS
                    + " "
                    + String.join(" ", grants),
                Duration.ofSeconds(180));

        assertThat(report.path("tagged_total").asInt()).as("report %s", report).isEqualTo(REQUESTS);
        assertThat(report.path("tagged_ok").asInt()).as("report %s", report).isEqualTo(REQUESTS);
        assertThat(world.provider.requests()).hasSize(REQUESTS);
        world
            .provider
            .requests()
            .forEach(
                received -> {
                  assertThat(received.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
                  assertThat(received.hasAnyAlterHeader()).isFalse();
                });
        List<Long> untagged = new ArrayList<>();
        report.path("untagged_ms").forEach(ms -> untagged.add(ms.asLong()));
        assertThat(untagged)
            .as("untagged requests completed on the loop while the tagged ones waited")
            .hasSizeGreaterThanOrEqualTo(3);
        // the first one opens its connection (TLS handshake); the typical one must stay quick. A
        // loop that waited for each cold resolve would hold both threads for 50 x 200 ms and more.
        List<Long> sorted = new ArrayList<>(untagged.subList(1, untagged.size()));
        sorted.sort(null);
        assertThat(sorted.get(sorted.size() / 2))
            .as("median untagged latency during the burst, ms (report %s)", report)
            .isLessThan(1000);
      }
    }
  }
}
