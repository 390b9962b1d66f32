package dev.alter.it.apache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fail closed when the agent has no usable resolver: the service is down with nothing cached, or
 * the agent was never configured. Tagged requests fail with the agent's IOException and nothing
 * is sent (and the client does not retry them); untagged requests are unaffected. Every mode of
 * the newest client, on JDK 17.
 */
class ApacheClientWithoutResolverTest {
  private static final String[] MODES = {"classic", "async-http1", "async-http2"};
  private final ClientWorld world = ClientWorld.get();

  @BeforeEach
  void clearRecordings() {
    world.clearRecordings();
  }

  private RunningChild launch(String mode, String resolverUrl, String apiKey) {
    Path dir = SharedResolverService.workDirectory("apache-no-resolver-" + mode);
    ChildJvm child = ApacheChild.configure(world, JavaRuntime.JDK_17, ApacheClientVersion.V5_6, mode,
        dir.resolve("app.log")).withAgent();
    if (resolverUrl != null) {
      child.resolver(resolverUrl, apiKey);
    }
    return ApacheChild.startAndAwaitReady(child, JavaRuntime.JDK_17, ApacheClientVersion.V5_6);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void resolverDownWithNothingCachedFailsClosed() throws IOException {
    String down = "http://127.0.0.1:" + closedPort();
    for (String mode : MODES) {
      try (RunningChild app = launch(mode, down, world.app.apiKey)) {
        JsonNode report = app.ask("request " + ChildRequest.get(world.datadogOrigin() + "/x")
            .grant(world.datadogGrant).toLine(), Duration.ofSeconds(40));

        JsonNode error = report.path("error");
        assertThat(error.path("class").asText()).as("%s report %s", mode, report)
            .isEqualTo("dev.alter.agent.bootstrap.AlterCredentialException");
        assertThat(error.path("is_io_exception").asBoolean()).isTrue();
        assertThat(error.path("code").asText()).isEqualTo("resolver_unavailable");
        assertThat(error.path("grant_id").asText()).isEqualTo(world.datadogGrant);
        assertThat(error.path("message").asText()).contains(world.datadogGrant, "Fix:");
        assertThat(world.requestsReceivedEverywhere()).as(mode).isZero();
      }
    }
  }

  @Test
  void unconfiguredAgentFailsTaggedRequestsAndLeavesOthersAlone() {
    for (String mode : MODES) {
      try (RunningChild app = launch(mode, null, null)) {
        JsonNode tagged = app.ask("request " + ChildRequest.get(world.datadogOrigin() + "/x")
            .grant(world.datadogGrant).toLine(), Duration.ofSeconds(40));

        JsonNode error = tagged.path("error");
        assertThat(error.path("class").asText()).as("%s report %s", mode, tagged)
            .isEqualTo("dev.alter.agent.bootstrap.AlterCredentialException");
        assertThat(error.path("code").asText()).isIn("unauthorized_app", "resolver_unavailable");
        assertThat(error.path("message").asText()).contains(world.datadogGrant).contains("ALTER_");
        assertThat(world.requestsReceivedEverywhere()).as(mode).isZero();

        JsonNode untagged = app.ask("request " + ChildRequest.get(world.datadogOrigin() + "/y")
            .header("X-Plain", "1").toLine(), Duration.ofSeconds(40));
        assertThat(untagged.path("status").asInt()).as("%s report %s", mode, untagged).isEqualTo(200);
        RecordedRequest received = world.provider.singleRequest();
        assertThat(received.header("X-Plain")).isEqualTo("1");
        world.clearRecordings();
      }
    }
  }
}
