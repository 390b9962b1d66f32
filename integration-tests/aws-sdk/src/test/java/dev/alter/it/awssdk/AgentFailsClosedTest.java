package dev.alter.it.awssdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildResult;
import dev.alter.it.harness.RecordingTcpProxy;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A grant whose secret does not allow the origin the SDK dials (another region's host) fails
 * every S3 call in the app with the agent's {@code host_not_allowed}, naming the grant, and no
 * byte reaches the server: the anonymous request is never sent in its place, on any client.
 */
class AgentFailsClosedTest {
  private static final String RUN = "agent_refused";

  @ParameterizedTest
  @EnumSource(SdkHttpClientKind.class)
  void originTheSecretDoesNotAllowFailsEveryCallBeforeAnythingIsSent(SdkHttpClientKind client) {
    AwsWorld world = AwsWorld.get();
    try (RecordingTcpProxy relay = RecordingTcpProxy.to(world.s3.httpPort())) {
      // allowed: another region's S3 host on the same relay; dialled: eu-west-1
      String allowed = "http://s3.us-east-1.amazonaws.com:" + relay.port();
      String grant = world.grantWithSessionToken("token" + AwsWorld.random(8), allowed,
          "refused-" + client.id());
      String dialled = "http://" + AwsWorld.S3_HOST + ":" + relay.port();
      String prefix = "alter-" + AwsWorld.random(3) + "-" + client.id();
      ChildResult result = world.child(client, prefix,
              RUN + "," + dialled + ",path,when_required,grant,S3IT_REFUSED,-")
          .withAgent()
          .resolver(world.service.baseUrl(), world.app.apiKey)
          .env("S3IT_REFUSED", grant)
          .run();
      ScenarioOutcome outcome = new ScenarioOutcome(result, prefix);

      List<JsonNode> steps = outcome.steps(RUN, "good");
      assertThat(steps).as(result.describe()).hasSize(13);
      for (JsonNode step : steps) {
        JsonNode failure = step.path("failure");
        assertThat(step.path("ok").asBoolean()).as("%s must fail", step.path("step")).isFalse();
        assertThat(failure.path("alter_code").asText()).as("%s: %s", step.path("step"), failure)
            .isEqualTo("host_not_allowed");
        assertThat(failure.path("alter_grant").asText()).isEqualTo(grant);
        assertThat(failure.path("causes").toString()).contains(grant).contains("host_not_allowed");
      }
      assertThat(outcome.finished().path("failed_steps").asInt()).isEqualTo(13);
      assertThat(relay.capturedText()).as("bytes that reached the relay in front of the server")
          .isEmpty();
    }
  }
}
