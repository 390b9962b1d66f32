package dev.alter.it.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ScriptedJdkClient;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A refused request on a shared HTTP/2 connection fails alone: ten requests go at once over the JDK
 * client's one connection to the provider, the fifth naming a grant whose secret is not for that
 * host. It fails with {@code host_not_allowed} and never reaches the server; the other nine arrive
 * with their credential on the same connection, and the connection serves the next request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdkHttp2RefusalTest {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(120);
  private static final int STREAMS = 10;
  private static final int REFUSED = 4;

  private final ClientWorld world = ClientWorld.get();

  @BeforeEach
  void clearRecordings() {
    world.clearRecordings();
  }

  @ParameterizedTest
  @EnumSource(
      value = JavaRuntime.class,
      names = {"JDK_17", "JDK_25"})
  void oneRefusedStreamLeavesItsNineSiblingsAndTheConnectionAlone(JavaRuntime runtime) {
    ChildJvm child =
        ChildJvm.create()
            .runtime(runtime)
            .main(ScriptedJdkClient.class, "async", "HTTP_2")
            .trusting(world.certificate)
            .hosts(world.hosts)
            .withAgent()
            .resolver(world.service.baseUrl(), world.app.apiKey)
            .env("ALTER_RESOLVE_TIMEOUT", "30s");
    try (RunningChild app = child.start()) {
      app.nextReport(Duration.ofSeconds(30));
      JsonNode warm =
          app.ask(
              "request "
                  + ChildRequest.get(world.datadogOrigin() + "/warm")
                      .grant(world.datadogGrant)
                      .toLine(),
              ANSWER_TIMEOUT);
      assertThat(warm.path("protocol").asText()).as("%s", warm).isEqualTo("HTTP_2");
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
          assertThat(outcome.path("error").path("code").asText())
              .as("refused stream: %s", outcome)
              .isEqualTo("host_not_allowed");
          assertThat(outcome.path("error").path("grant_id").asText()).isEqualTo(world.openAiGrant);
        } else {
          assertThat(outcome.path("status").asInt()).as("stream %d: %s", i, outcome).isEqualTo(200);
          assertThat(outcome.path("protocol").asText()).isEqualTo("HTTP_2");
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

      List<RecordedRequest> received = world.provider.requests();
      assertThat(received.stream().map(RecordedRequest::target))
          .as("what reached the server")
          .doesNotContain("/refused")
          .filteredOn("/together"::equals)
          .hasSize(STREAMS - 1);
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
  @EnumSource(
      value = JavaRuntime.class,
      names = {"JDK_17", "JDK_25"})
  void aRateLimitRefusingOneOfTenConcurrentStreamsLeavesTheOtherNine(JavaRuntime runtime) {
    String limited =
        world.admin.createSystemGrant(
            world.datadogSecret,
            "http2-rate-" + RandomHex.of(3),
            Map.of("rate_limits", List.of(Map.of("requests", STREAMS - 1, "per_seconds", 600))));
    ChildJvm child =
        ChildJvm.create()
            .runtime(runtime)
            .main(ScriptedJdkClient.class, "async", "HTTP_2")
            .trusting(world.certificate)
            .hosts(world.hosts)
            .withAgent()
            .resolver(world.service.baseUrl(), world.app.apiKey)
            .env("ALTER_RESOLVE_TIMEOUT", "30s");
    try (RunningChild app = child.start()) {
      app.nextReport(Duration.ofSeconds(30));
      JsonNode warm =
          app.ask(
              "request "
                  + ChildRequest.get(world.datadogOrigin() + "/warm")
                      .grant(world.datadogGrant)
                      .toLine(),
              ANSWER_TIMEOUT);
      assertThat(warm.path("protocol").asText()).as("%s", warm).isEqualTo("HTTP_2");

      JsonNode burst =
          app.ask(
              "burst "
                  + STREAMS
                  + " "
                  + ChildRequest.get(world.datadogOrigin() + "/limited").grant(limited).toLine(),
              ANSWER_TIMEOUT);
      assertThat(burst.path("ok").asInt()).as("%s", burst).isEqualTo(STREAMS - 1);
      assertThat(burst.path("failures").toString()).contains("policy_violation").contains(limited);

      List<RecordedRequest> received = world.provider.requests();
      assertThat(received.stream().map(RecordedRequest::target))
          .filteredOn("/limited"::equals)
          .hasSize(STREAMS - 1);
      assertThat(received).hasSize(STREAMS);
      for (RecordedRequest request : received) {
        assertThat(request.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
      }
      assertThat(received.stream().map(RecordedRequest::connection).collect(Collectors.toSet()))
          .as("connections the requests arrived on")
          .hasSize(1);
    }
  }
}
