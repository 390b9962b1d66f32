package dev.alter.it.apache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A refused request on a shared HTTP/2 connection fails alone: ten async calls go at once over
 * HttpAsyncClient's one HTTP/2 connection to the provider, the fifth naming a grant whose secret is
 * not for that host (or, in the second test, ten under a rate limit of nine). The refused call
 * fails with {@code AlterCredentialException} through its {@code Future} and its {@code
 * FutureCallback}, nothing of it reaches the server; the other nine arrive with their credential on
 * the same connection, and the connection serves the next request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApacheHttp2RefusalTest {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(120);
  private static final int STREAMS = 10;
  private static final int REFUSED = 4;
  private static final String REFUSAL = "dev.alter.agent.bootstrap.AlterCredentialException";

  private final ClientWorld world = ClientWorld.get();

  static Stream<Arguments> clients() {
    return Stream.of(
        Arguments.of(JavaRuntime.JDK_17, ApacheClientVersion.V5_6),
        Arguments.of(JavaRuntime.JDK_25, ApacheClientVersion.V5_6),
        Arguments.of(JavaRuntime.JDK_17, ApacheClientVersion.V5_1),
        Arguments.of(JavaRuntime.JDK_25, ApacheClientVersion.V5_1));
  }

  @BeforeEach
  void clearRecordings() {
    world.clearRecordings();
  }

  private static Path appLog(JavaRuntime runtime, ApacheClientVersion version, String test) {
    return SharedResolverService.workDirectory(
            "apache-h2-refusal-" + version.exactVersion() + "-" + runtime)
        .resolve(test + ".log");
  }

  /**
   * The client's own HTTP/2 frame log while the app still runs: the refused stream sent nothing,
   * not even RST_STREAM (the server never saw that stream), and nothing closed the connection.
   */
  private static void assertNoResetNorGoAway(Path appLog) throws IOException {
    String frames = Files.readString(appLog);
    assertThat(frames).as("client frame log").contains("frame: HEADERS");
    assertThat(frames).as("client frame log").doesNotContain("RST_STREAM").doesNotContain("GOAWAY");
  }

  private RunningChild start(JavaRuntime runtime, ApacheClientVersion version, Path appLog) {
    ChildJvm child =
        ApacheChild.configure(world, runtime, version, "async-http2", appLog)
            .withAgent()
            .resolver(world.service.baseUrl(), world.app.apiKey)
            .env("ALTER_RESOLVE_TIMEOUT", "30s");
    RunningChild app = child.start();
    // a loaded machine can take a while to start a JVM with the agent
    app.nextReport(ANSWER_TIMEOUT);
    JsonNode warm =
        app.ask(
            "request "
                + ChildRequest.get(world.datadogOrigin() + "/warm")
                    .grant(world.datadogGrant)
                    .toLine(),
            ANSWER_TIMEOUT);
    assertThat(warm.path("protocol").asText()).as("%s", warm).isEqualTo("HTTP/2.0");
    return app;
  }

  @ParameterizedTest
  @MethodSource("clients")
  void oneRefusedStreamLeavesItsNineSiblingsAndTheConnectionAlone(
      JavaRuntime runtime, ApacheClientVersion version) throws IOException {
    Path appLog = appLog(runtime, version, "host-not-allowed");
    try (RunningChild app = start(runtime, version, appLog)) {
      // the refused grant is resolved once beforehand, so its stream is refused as fast as the
      // others are injected, while they are in flight
      JsonNode refusedAlone =
          app.ask(
              "request "
                  + ChildRequest.get(world.datadogOrigin() + "/refused")
                      .grant(world.openAiGrant)
                      .toLine(),
              ANSWER_TIMEOUT);
      assertThat(refusedAlone.path("error").path("code").asText())
          .as("%s", refusedAlone)
          .isEqualTo("host_not_allowed");

      JsonNode mixed =
          app.ask(
              "mixed "
                  + STREAMS
                  + " "
                  + REFUSED
                  + " "
                  + ChildRequest.get(world.datadogOrigin() + "/together")
                      .grant(world.datadogGrant)
                      .toLine()
                  + " ||| "
                  + ChildRequest.get(world.datadogOrigin() + "/refused")
                      .grant(world.openAiGrant)
                      .toLine(),
              ANSWER_TIMEOUT);

      JsonNode outcomes = mixed.path("outcomes");
      assertThat(outcomes).as("%s", mixed).hasSize(STREAMS);
      for (int i = 0; i < STREAMS; i++) {
        JsonNode outcome = outcomes.get(i);
        if (i == REFUSED) {
          for (JsonNode error :
              List.of(outcome.path("error"), outcome.path("callback").path("error"))) {
            assertThat(error.path("class").asText())
                .as("refused call: %s", outcome)
                .isEqualTo(REFUSAL);
            assertThat(error.path("code").asText()).isEqualTo("host_not_allowed");
            assertThat(error.path("grant_id").asText()).isEqualTo(world.openAiGrant);
          }
        } else {
          assertThat(outcome.path("status").asInt()).as("call %d: %s", i, outcome).isEqualTo(200);
          assertThat(outcome.path("protocol").asText()).isEqualTo("HTTP/2.0");
          assertThat(outcome.path("callback").asInt()).as("call %d: %s", i, outcome).isEqualTo(200);
        }
      }

      JsonNode after =
          app.ask(
              "request "
                  + ChildRequest.get(world.datadogOrigin() + "/after")
                      .grant(world.datadogGrant)
                      .toLine(),
              ANSWER_TIMEOUT);
      assertThat(after.path("status").asInt()).as("%s", after).isEqualTo(200);
      assertNoResetNorGoAway(appLog);

      List<RecordedRequest> received = world.provider.requests();
      assertThat(received.stream().map(RecordedRequest::target))
          .as("what reached the server")
          .doesNotContain("/refused")
          .filteredOn("/together"::equals)
          .hasSize(STREAMS - 1);
      // warm, nine together, after
      assertThat(received).hasSize(STREAMS + 1).allMatch(RecordedRequest::isHttp2);
      for (RecordedRequest request : received) {
        assertThat(request.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
        assertThat(request.hasAnyAlterHeader()).isFalse();
      }
      Set<String> connections =
          received.stream().map(RecordedRequest::connection).collect(Collectors.toSet());
      assertThat(connections).as("connections the requests arrived on").hasSize(1);
      assertThat(world.requestsReceivedEverywhere()).isEqualTo(STREAMS + 1);
    }
  }

  @ParameterizedTest
  @MethodSource("clients")
  void aRateLimitRefusingOneOfTenConcurrentStreamsLeavesTheOtherNine(
      JavaRuntime runtime, ApacheClientVersion version) throws IOException {
    Path appLog = appLog(runtime, version, "policy-violation");
    String limited =
        world.admin.createSystemGrant(
            world.datadogSecret,
            "http2-rate-" + RandomHex.of(3),
            Map.of("rate_limits", List.of(Map.of("requests", STREAMS - 1, "per_seconds", 600))));
    try (RunningChild app = start(runtime, version, appLog)) {
      JsonNode mixed =
          app.ask(
              "mixed "
                  + STREAMS
                  + " 0 "
                  + ChildRequest.get(world.datadogOrigin() + "/limited").grant(limited).toLine()
                  + " ||| "
                  + ChildRequest.get(world.datadogOrigin() + "/limited").grant(limited).toLine(),
              ANSWER_TIMEOUT);
      JsonNode outcomes = mixed.path("outcomes");
      assertThat(outcomes).as("%s", mixed).hasSize(STREAMS);
      int ok = 0;
      for (JsonNode outcome : outcomes) {
        if (outcome.path("status").asInt() == 200) {
          ok++;
          assertThat(outcome.path("callback").asInt()).as("%s", outcome).isEqualTo(200);
        } else {
          for (JsonNode error :
              List.of(outcome.path("error"), outcome.path("callback").path("error"))) {
            assertThat(error.path("class").asText()).as("%s", outcome).isEqualTo(REFUSAL);
            assertThat(error.path("code").asText()).isEqualTo("policy_violation");
            assertThat(error.path("grant_id").asText()).isEqualTo(limited);
          }
        }
      }
      assertThat(ok).as("%s", mixed).isEqualTo(STREAMS - 1);

      JsonNode after =
          app.ask(
              "request "
                  + ChildRequest.get(world.datadogOrigin() + "/after")
                      .grant(world.datadogGrant)
                      .toLine(),
              ANSWER_TIMEOUT);
      assertThat(after.path("status").asInt()).as("%s", after).isEqualTo(200);
      assertNoResetNorGoAway(appLog);

      List<RecordedRequest> received = world.provider.requests();
      assertThat(received.stream().map(RecordedRequest::target))
          .filteredOn("/limited"::equals)
          .hasSize(STREAMS - 1);
      // warm, nine limited, after
      assertThat(received).hasSize(STREAMS + 1);
      for (RecordedRequest request : received) {
        assertThat(request.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
      }
      assertThat(received.stream().map(RecordedRequest::connection).collect(Collectors.toSet()))
          .as("connections the requests arrived on")
          .hasSize(1);
    }
  }
}
