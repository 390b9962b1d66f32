package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The agent prints exactly one line of its own, its start-up line, to the app's stderr: no JVM
 * warnings (Byte Buddy's Unsafe use on JDK 25), nothing per request, never the app key or a
 * credential; also when requests succeed, fail and get refused.
 */
class AgentOutputTest {
  /**
   * HotSpot prints this (on stdout) when a jar is appended to the boot class path while class-data
   * sharing is on; the agent defines its bridge classes in the boot loader instead, so it must
   * never appear.
   */
  static final String HOTSPOT_CDS_NOTICE = "Sharing is only supported for boot loader classes";

  @ParameterizedTest
  @EnumSource(JavaRuntime.class)
  void stderrHoldsExactlyOneStartupLineAndNeverAKeyOrCredential(JavaRuntime runtime) {
    ResolverServiceProcess service = SharedResolverService.get();
    AdminClient admin = service.admin();
    AdminClient.App app = admin.createApp("output-it-" + runtime + "-" + System.nanoTime());
    try (StandInProvider provider = new StandInProvider("output")) {
      String credential = StandInProvider.randomCredential("dd");
      String grant =
          admin.createSystemGrant(
              admin.storeSecretId(
                  NewSecret.provider(app.appId, "datadog", credential)
                      .destinations(provider.origin())),
              "output");

      try (RunningChild child =
          provider
              .app(runtime, "HTTP_2")
              .withAgent()
              .resolver(service.baseUrl(), app.apiKey)
              .start()) {
        child.nextReport(Duration.ofSeconds(30));
        JsonNode ok =
            child.ask(
                "request " + ChildRequest.get(provider.origin() + "/ok").grant(grant).toLine());
        JsonNode refused =
            child.ask(
                "request "
                    + ChildRequest.get("https://127.0.0.1:" + provider.server.port() + "/ip")
                        .grant(grant)
                        .toLine());
        JsonNode unknown =
            child.ask(
                "request "
                    + ChildRequest.get(provider.origin() + "/unknown")
                        .grant("grt_unknown000000000000")
                        .toLine());
        assertThat(ok.path("status").asInt()).as("report %s", ok).isEqualTo(200);
        assertThat(refused.path("error").path("code").asText()).isEqualTo("host_not_allowed");
        assertThat(unknown.path("error").path("code").asText()).isEqualTo("grant_not_found");
        child.close();

        List<String> lines =
            Arrays.stream(child.stderr().split("\n"))
                .filter(line -> !line.isBlank())
                .collect(Collectors.toList());
        List<String> agentLines =
            lines.stream()
                .filter(line -> line.contains("[alter-agent]"))
                .collect(Collectors.toList());
        assertThat(agentLines).as("the agent's own lines on stderr").hasSize(1);
        assertThat(agentLines.get(0)).contains("started", service.baseUrl());
        assertThat(lines).as("anything else on stderr").containsExactly(agentLines.get(0));
        assertThat(child.stdout()).doesNotContain(HOTSPOT_CDS_NOTICE);
        assertThat(child.stderr()).doesNotContain(app.apiKey).doesNotContain(credential);
        assertThat(child.stdout()).doesNotContain(app.apiKey).doesNotContain(credential);
      }
    }
  }
}
