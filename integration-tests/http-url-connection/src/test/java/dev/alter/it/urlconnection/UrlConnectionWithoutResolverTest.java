package dev.alter.it.urlconnection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fail closed when the agent has no usable resolver: the service is down with nothing cached, or
 * the agent was never configured. Tagged HttpURLConnection requests fail with the agent's
 * IOException and nothing is sent; untagged requests are unaffected. On JDK 17 and 25.
 */
class UrlConnectionWithoutResolverTest {
  private final ClientWorld world = ClientWorld.get();

  @BeforeEach
  void clearRecordings() {
    world.clearRecordings();
  }

  private RunningChild launch(JavaRuntime runtime, String resolverUrl, String apiKey) {
    ChildJvm child = ChildJvm.create().runtime(runtime).withAgent()
        .main(ScriptedUrlConnectionClient.class)
        .classpathOf(ChildReport.class)
        .trusting(world.certificate).hosts(world.hosts);
    if (resolverUrl != null) {
      child.resolver(resolverUrl, apiKey);
    }
    RunningChild running = child.start();
    running.nextReport(Duration.ofSeconds(30));
    return running;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @ParameterizedTest
  @EnumSource(JavaRuntime.class)
  void resolverDownWithNothingCachedFailsClosed(JavaRuntime runtime) throws IOException {
    try (RunningChild app = launch(runtime, "http://127.0.0.1:" + closedPort(), world.app.apiKey)) {
      JsonNode report = app.ask("request " + ChildRequest.get(world.datadogOrigin() + "/x")
          .grant(world.datadogGrant).toLine(), Duration.ofSeconds(40));

      JsonNode error = report.path("error");
      assertThat(error.path("class").asText()).as("report %s", report)
          .isEqualTo("dev.alter.agent.bootstrap.AlterCredentialException");
      assertThat(error.path("is_io_exception").asBoolean()).isTrue();
      assertThat(error.path("code").asText()).isEqualTo("resolver_unavailable");
      assertThat(error.path("grant_id").asText()).isEqualTo(world.datadogGrant);
      assertThat(error.path("message").asText()).contains(world.datadogGrant, "Fix:");
      assertThat(world.requestsReceivedEverywhere()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(JavaRuntime.class)
  void unconfiguredAgentFailsTaggedRequestsNamingTheMissingSettingAndLeavesOthersAlone(
      JavaRuntime runtime) {
    try (RunningChild app = launch(runtime, null, null)) {
      JsonNode tagged = app.ask("request " + ChildRequest.get(world.datadogOrigin() + "/x")
          .grant(world.datadogGrant).toLine(), Duration.ofSeconds(40));

      JsonNode error = tagged.path("error");
      assertThat(error.path("class").asText()).as("report %s", tagged)
          .isEqualTo("dev.alter.agent.bootstrap.AlterCredentialException");
      assertThat(error.path("code").asText()).isIn("unauthorized_app", "resolver_unavailable");
      assertThat(error.path("message").asText()).contains(world.datadogGrant).contains("ALTER_");
      assertThat(world.requestsReceivedEverywhere()).isZero();

      JsonNode untagged = app.ask("request " + ChildRequest.get(world.datadogOrigin() + "/y")
          .header("X-Plain", "1").toLine(), Duration.ofSeconds(40));
      assertThat(untagged.path("status").asInt()).as("report %s", untagged).isEqualTo(200);
      RecordedRequest received = world.provider.singleRequest();
      assertThat(received.header("X-Plain")).isEqualTo("1");
    }
  }
}
