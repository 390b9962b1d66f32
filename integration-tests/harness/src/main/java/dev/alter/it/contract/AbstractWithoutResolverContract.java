package dev.alter.it.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fail closed when the agent has no usable resolver, for one HTTP client: the service is down with
 * nothing cached, or the agent was never configured. Tagged requests fail with the agent's
 * IOException naming the grant, and nothing is sent; untagged requests are unaffected. Each test
 * runs once per variant the client declares (a JDK, a release, a mode), in a child JVM of its own,
 * through every call style that app offers.
 *
 * @param <V> what tells one variant from another
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractWithoutResolverContract<V> {
  private static final String REFUSAL = "dev.alter.agent.bootstrap.AlterCredentialException";
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(40);

  protected final ClientWorld world = ClientWorld.get();

  /** The variants to run: each gets its own child JVM. */
  protected abstract List<V> variants();

  /**
   * The app for {@code variant}, configured with the world's certificate and hosts file; the
   * contract adds the agent and, where the test has one, the resolver.
   */
  protected abstract ChildJvm child(V variant);

  /** Checks the child's first report (e.g. the client's version). */
  protected void assertReady(JsonNode ready, RunningChild child, V variant) {}

  /**
   * The commands that send one request, one per call style the app offers (e.g. execute, enqueue).
   */
  protected List<String> requestCommands() {
    return List.of("request");
  }

  /** What else a refusal must have left untouched for this client (no retry, no header written). */
  protected void assertRefusalLeftNoTrace(JsonNode report, RunningChild app) {}

  @BeforeEach
  void clearRecordings() {
    world.clearRecordings();
  }

  private RunningChild launch(V variant, String resolverUrl, String apiKey) {
    ChildJvm child = child(variant).withAgent();
    if (resolverUrl != null) {
      child.resolver(resolverUrl, apiKey);
    }
    RunningChild running = child.start();
    assertReady(running.nextReport(Duration.ofSeconds(30)), running, variant);
    return running;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void assertRefusedWithNothingSent(JsonNode report, String command, RunningChild app) {
    JsonNode error = report.path("error");
    assertThat(error.path("class").asText()).as("%s report %s", command, report).isEqualTo(REFUSAL);
    assertThat(error.path("is_io_exception").asBoolean()).isTrue();
    assertThat(error.path("grant_id").asText()).isEqualTo(world.datadogGrant);
    assertThat(error.path("message").asText()).contains(world.datadogGrant, "Fix:");
    assertThat(world.requestsReceivedEverywhere()).as("requests that reached any server").isZero();
    assertRefusalLeftNoTrace(report, app);
  }

  @ParameterizedTest
  @MethodSource("variants")
  void resolverDownWithNothingCachedFailsClosed(V variant) throws IOException {
    try (RunningChild app = launch(variant, "http://127.0.0.1:" + closedPort(), world.app.apiKey)) {
      for (String command : requestCommands()) {
        JsonNode report =
            app.ask(
                command
                    + " "
                    + ChildRequest.get(world.datadogOrigin() + "/x")
                        .grant(world.datadogGrant)
                        .toLine(),
                ANSWER_TIMEOUT);

        assertRefusedWithNothingSent(report, command, app);
        assertThat(report.path("error").path("code").asText()).isEqualTo("resolver_unavailable");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("variants")
  void unconfiguredAgentFailsTaggedRequestsNamingTheMissingSettingAndLeavesOthersAlone(V variant) {
    try (RunningChild app = launch(variant, null, null)) {
      for (String command : requestCommands()) {
        JsonNode tagged =
            app.ask(
                command
                    + " "
                    + ChildRequest.get(world.datadogOrigin() + "/x")
                        .grant(world.datadogGrant)
                        .toLine(),
                ANSWER_TIMEOUT);

        assertRefusedWithNothingSent(tagged, command, app);
        assertThat(tagged.path("error").path("code").asText())
            .isIn("unauthorized_app", "resolver_unavailable");
        assertThat(tagged.path("error").path("message").asText()).contains("ALTER_");

        JsonNode untagged =
            app.ask(
                command
                    + " "
                    + ChildRequest.get(world.datadogOrigin() + "/y")
                        .header("X-Plain", "1")
                        .toLine(),
                ANSWER_TIMEOUT);
        assertThat(untagged.path("status").asInt())
            .as("%s report %s", command, untagged)
            .isEqualTo(200);
        RecordedRequest received = world.provider.singleRequest();
        assertThat(received.header("X-Plain")).isEqualTo("1");
        world.clearRecordings();
      }
    }
  }
}
