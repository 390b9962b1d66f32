package dev.alter.it.awssdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildResult;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordingTcpProxy;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A grant that cannot be given its credential fails every S3 call in the app with the agent's
 * stable code, naming the grant, and no byte reaches the server: the anonymous request is never
 * sent in its place. Cases: a secret that does not allow the origin the SDK dials (another region's
 * host; every client) and an expired session.
 */
class AgentFailsClosedTest {
  private static final String RUN = "agent_refused";

  /**
   * Temporary credentials whose session has expired: every call fails with {@code
   * credential_expired} and nothing is sent (one client: the decision is the service's).
   */
  @Test
  void expiredSessionFailsEveryCallBeforeAnythingIsSent() throws InterruptedException {
    AwsWorld world = AwsWorld.get();
    try (RecordingTcpProxy relay = RecordingTcpProxy.to(world.s3.httpPort())) {
      String origin = "http://" + AwsWorld.S3_HOST + ":" + relay.port();
      Instant expiresAt = Instant.now().plusSeconds(3);
      String grant =
          world.grantWithSessionToken(
              "token" + RandomHex.of(8), origin, "expired-session", expiresAt);
      while (!Instant.now().isAfter(expiresAt.plusMillis(500))) {
        Thread.sleep(100);
      }
      assertEveryCallRefusedWithNothingSent(
          SdkHttpClientKind.APACHE5, relay, origin, grant, "credential_expired");
    }
  }

  @ParameterizedTest
  @EnumSource(SdkHttpClientKind.class)
  void originTheSecretDoesNotAllowFailsEveryCallBeforeAnythingIsSent(SdkHttpClientKind client) {
    AwsWorld world = AwsWorld.get();
    try (RecordingTcpProxy relay = RecordingTcpProxy.to(world.s3.httpPort())) {
      // allowed: another region's S3 host on the same relay; dialled: eu-west-1
      String allowed = "http://s3.us-east-1.amazonaws.com:" + relay.port();
      String grant =
          world.grantWithSessionToken("token" + RandomHex.of(8), allowed, "refused-" + client.id());
      String dialled = "http://" + AwsWorld.S3_HOST + ":" + relay.port();
      assertEveryCallRefusedWithNothingSent(client, relay, dialled, grant, "host_not_allowed");
    }
  }

  /**
   * Every call of the scenario fails with the agent's {@code code} naming the grant; nothing
   * reached the relay.
   */
  private static void assertEveryCallRefusedWithNothingSent(
      SdkHttpClientKind client,
      RecordingTcpProxy relay,
      String dialled,
      String grant,
      String code) {
    AwsWorld world = AwsWorld.get();
    String prefix = "alter-" + RandomHex.of(3) + "-" + client.id();
    ChildResult result =
        world
            .child(client, prefix, RUN + "," + dialled + ",path,when_required,grant,S3IT_REFUSED,-")
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
      assertThat(failure.path("alter_code").asText())
          .as("%s: %s", step.path("step"), failure)
          .isEqualTo(code);
      assertThat(failure.path("alter_grant").asText()).isEqualTo(grant);
      assertThat(failure.path("causes").toString()).contains(grant).contains(code);
    }
    assertThat(outcome.finished().path("failed_steps").asInt()).isEqualTo(13);
    assertThat(relay.capturedText())
        .as("bytes that reached the relay in front of the server")
        .isEmpty();
  }
}
