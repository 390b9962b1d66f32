package dev.alter.it.reactornetty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.reactornetty.app.ScriptedReactorNettyClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A bodiless request sent as Spring's WebClient and {@code ReactorClientHttpRequestFactory} send
 * it: the send function completes empty and Reactor Netty writes the request itself, never looking
 * at that write's outcome. A refusal must still end the call at once with the agent's exception
 * (code and grant id) in the error signal's cause chain, whether the resolve was cold (the write
 * held, then refused) or the refusal was already known, and nothing is sent.
 */
class ReactorNettyUnwatchedWriteRefusalTest {
  private static final Duration ANSWER = Duration.ofSeconds(45);
  private final ClientWorld world = ClientWorld.get();

  private RunningChild start(ReactorNettyRelease release, String appKey) {
    ChildJvm child =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_17)
            .withAgent()
            .resolver(world.service.baseUrl(), appKey)
            .main(ScriptedReactorNettyClient.class, "HTTP11")
            .classpathOf(ChildReport.class, ScriptedReactorNettyClient.class)
            .trusting(world.certificate)
            .hosts(world.hosts);
    for (Path jar : release.jars()) {
      child.classpathEntry(jar);
    }
    RunningChild app = child.start();
    JsonNode ready = app.nextReport(Duration.ofSeconds(60));
    assertThat(ready.path("reactor_netty_version").asText()).isEqualTo(release.version);
    return app;
  }

  private JsonNode send(RunningChild app, String path, String grant) {
    return app.ask(
        "request-sent-as-webclient "
            + ChildRequest.get(world.datadogOrigin() + path).grant(grant).toLine(),
        ANSWER);
  }

  private void assertRefused(JsonNode report, String path, String code, String grant) {
    JsonNode error = report.path("error");
    assertThat(error.path("class").asText())
        .as("%s", report)
        .isEqualTo("dev.alter.agent.bootstrap.AlterCredentialException");
    assertThat(error.path("code").asText()).isEqualTo(code);
    assertThat(error.path("grant_id").asText()).isEqualTo(grant);
    assertThat(world.provider.requests()).noneMatch(r -> r.target().equals(path));
  }

  @ParameterizedTest
  @EnumSource(ReactorNettyRelease.class)
  void aRefusedRequestEndsTheCallWithTheAgentsExceptionAndTheClientStaysUsable(
      ReactorNettyRelease release) {
    try (RunningChild app = start(release, world.app.apiKey)) {
      for (String attempt : new String[] {"cold", "known"}) {
        String path = "/unwatched/revoked/" + attempt + "/" + RandomHex.of(4);
        assertRefused(
            send(app, path, world.revokedGrant), path, "grant_revoked", world.revokedGrant);
      }
      String path = "/unwatched/ok/" + RandomHex.of(4);
      JsonNode ok = send(app, path, world.datadogGrant);
      assertThat(ok.path("status").asInt()).as("%s\n%s", ok, app.describe()).isEqualTo(200);
      assertThat(world.provider.requests())
          .filteredOn(r -> r.target().equals(path))
          .singleElement()
          .satisfies(
              r -> assertThat(r.headerValues("DD-API-KEY")).containsExactly(world.datadogKey))
          .satisfies(r -> assertThat(r.hasAnyAlterHeader()).isFalse());
    }
  }

  @ParameterizedTest
  @EnumSource(ReactorNettyRelease.class)
  void aWrongAppKeyEndsTheCallWithTheAgentsException(ReactorNettyRelease release) {
    try (RunningChild app = start(release, "alter_key_app_" + RandomHex.of(24))) {
      String path = "/unwatched/wrong-key/" + RandomHex.of(4);
      assertRefused(
          send(app, path, world.datadogGrant), path, "unauthorized_app", world.datadogGrant);
    }
  }
}
