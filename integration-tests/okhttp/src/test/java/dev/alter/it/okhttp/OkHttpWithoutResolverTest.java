package dev.alter.it.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.okhttp.app.ScriptedOkHttpClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fail closed when the agent has no usable resolver: the service is down with nothing cached, or
 * the agent was never configured. Tagged OkHttp calls fail with the agent's IOException, through
 * execute() and enqueue(), and nothing is sent; untagged calls are unaffected. On every release.
 */
class OkHttpWithoutResolverTest {
  private final ClientWorld world = ClientWorld.get();

  @BeforeEach
  void clearRecordings() {
    world.clearRecordings();
  }

  private RunningChild launch(OkHttpRelease release, String resolverUrl, String apiKey) {
    ChildJvm child = ChildJvm.create().runtime(JavaRuntime.JDK_17).withAgent()
        .main(ScriptedOkHttpClient.class, "execute", "HTTP_2")
        .classpathOf(ChildReport.class)
        .trusting(world.certificate).hosts(world.hosts);
    for (Path jar : release.jars()) {
      child.classpathEntry(jar);
    }
    if (resolverUrl != null) {
      child.resolver(resolverUrl, apiKey);
    }
    RunningChild running = child.start();
    assertThat(running.nextReport(Duration.ofSeconds(30)).path("okhttp_version").asText())
        .isEqualTo(release.version);
    return running;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void assertRefusedWithNothingSent(JsonNode report, String mode) {
    JsonNode error = report.path("error");
    assertThat(error.path("class").asText()).as("%s report %s", mode, report)
        .isEqualTo("dev.alter.agent.bootstrap.AlterCredentialException");
    assertThat(error.path("is_io_exception").asBoolean()).isTrue();
    assertThat(error.path("grant_id").asText()).isEqualTo(world.datadogGrant);
    assertThat(error.path("message").asText()).contains(world.datadogGrant, "Fix:");
    assertThat(report.path("observed").path("events").path("request_headers_end").asInt()).isZero();
    assertThat(report.path("observed").path("network_interceptor")).as("attempts").hasSize(1);
    assertThat(world.requestsReceivedEverywhere()).isZero();
  }

  @ParameterizedTest
  @EnumSource(OkHttpRelease.class)
  void resolverDownWithNothingCachedFailsClosed(OkHttpRelease release) throws IOException {
    String down = "http://127.0.0.1:" + closedPort();
    try (RunningChild app = launch(release, down, world.app.apiKey)) {
      for (String mode : new String[] {"execute", "enqueue"}) {
        JsonNode report = app.ask(mode + " " + ChildRequest.get(world.datadogOrigin() + "/x")
            .grant(world.datadogGrant).toLine(), Duration.ofSeconds(40));

        assertRefusedWithNothingSent(report, mode);
        assertThat(report.path("error").path("code").asText()).isEqualTo("resolver_unavailable");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(OkHttpRelease.class)
  void unconfiguredAgentFailsTaggedCallsNamingTheMissingSettingAndLeavesOthersAlone(OkHttpRelease release) {
    try (RunningChild app = launch(release, null, null)) {
      for (String mode : new String[] {"execute", "enqueue"}) {
        JsonNode tagged = app.ask(mode + " " + ChildRequest.get(world.datadogOrigin() + "/x")
            .grant(world.datadogGrant).toLine(), Duration.ofSeconds(40));

        assertRefusedWithNothingSent(tagged, mode);
        assertThat(tagged.path("error").path("code").asText()).isIn("unauthorized_app", "resolver_unavailable");
        assertThat(tagged.path("error").path("message").asText()).contains("ALTER_");

        JsonNode untagged = app.ask(mode + " " + ChildRequest.get(world.datadogOrigin() + "/y")
            .header("X-Plain", "1").toLine(), Duration.ofSeconds(40));
        assertThat(untagged.path("status").asInt()).as("%s report %s", mode, untagged).isEqualTo(200);
        RecordedRequest received = world.provider.singleRequest();
        assertThat(received.header("X-Plain")).isEqualTo("1");
        world.clearRecordings();
      }
    }
  }
}
