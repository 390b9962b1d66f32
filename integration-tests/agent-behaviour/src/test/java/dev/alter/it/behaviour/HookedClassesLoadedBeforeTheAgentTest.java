package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent brings Byte Buddy in only when a hooked class loads; classes of a hooked client that
 * were loaded before the agent started (here by another agent listed first) must still carry the
 * advice, or a tagged request would go out without its credential.
 */
class HookedClassesLoadedBeforeTheAgentTest {
  @ParameterizedTest
  @ValueSource(strings = {"HTTP_1_1", "HTTP_2"})
  void jdkClientClassesLoadedBeforeTheAgentAreStillInstrumented(String version) throws Exception {
    ResolverServiceProcess service = SharedResolverService.get();
    AdminClient admin = service.admin();
    AdminClient.App app = admin.createApp("early-it-" + version + "-" + System.nanoTime());
    try (StandInProvider provider = new StandInProvider("early-" + version)) {
      String credential = StandInProvider.randomCredential("dd");
      String grant =
          admin.createSystemGrant(
              admin.storeSecretId(
                  NewSecret.provider(app.appId, "datadog", credential)
                      .destinations(provider.origin())),
              "early");
      Path earlyAgent = EarlyLoadingAgent.jar(provider.workDir);

      // JAVA_TOOL_OPTIONS agents start before those on the command line
      try (RunningChild child =
          provider
              .app(JavaRuntime.JDK_17, version)
              .withAgent()
              .resolver(service.baseUrl(), app.apiKey)
              .env("JAVA_TOOL_OPTIONS", "-javaagent:" + earlyAgent)
              .start()) {
        child.nextReport(Duration.ofSeconds(30));
        JsonNode report =
            child.ask(
                "request "
                    + ChildRequest.get(provider.origin() + "/api/v1/validate")
                        .grant(grant)
                        .toLine(),
                Duration.ofSeconds(40));

        assertThat(report.path("status").asInt()).as("report %s", report).isEqualTo(200);
        RecordedRequest received = provider.server.singleRequest();
        assertThat(received.header("DD-API-KEY")).isEqualTo(credential);
        assertThat(received.hasAnyAlterHeader()).isFalse();
        child.close();
        assertThat(child.stderr())
            .as("the start-up line says the hooked classes were already loaded")
            .contains("hooked classes were already loaded");
      }
    }
  }
}
