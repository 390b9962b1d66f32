package dev.alter.it.awssdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildResult;
import dev.alter.it.harness.RandomHex;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The control: the same app with the SDK signing itself (StaticCredentialsProvider) and no agent.
 * The right key does everything and the wrong key is refused with SignatureDoesNotMatch, on every
 * HTTP client, in both checksum settings and with virtual-hosted buckets: so the server really
 * verifies what a real SDK signs, and the agent tests below prove something when they pass.
 */
class StaticKeysControlTest {
  private static final List<String> RUNS = List.of("ctl_default", "ctl_required", "ctl_virtual");

  @ParameterizedTest
  @EnumSource(SdkHttpClientKind.class)
  void serverAcceptsTheSdksOwnSignatureAndRefusesAWrongKey(SdkHttpClientKind client) {
    AwsWorld world = AwsWorld.get();
    String endpoint = world.httpsOrigin();
    String prefix = "alter-" + RandomHex.of(3) + "-" + client.id();
    ChildResult result =
        world
            .child(
                client,
                prefix,
                "ctl_default," + endpoint + ",path,default,static,S3IT_GOOD,S3IT_WRONG",
                "ctl_required," + endpoint + ",path,when_required,static,S3IT_GOOD,S3IT_WRONG",
                "ctl_virtual," + endpoint + ",virtual,default,static,S3IT_GOOD,S3IT_WRONG")
            .env("S3IT_GOOD", world.s3.accessKeyId + ":" + world.s3.secretAccessKey)
            .env("S3IT_WRONG", world.s3.accessKeyId + ":" + world.wrongSecretAccessKey)
            .run();
    ScenarioOutcome outcome = new ScenarioOutcome(result, prefix);
    PayloadModes.record(client.id() + " control", outcome, RUNS);

    JsonNode finished = outcome.finished();
    assertThat(finished.path("http_client").asText()).isEqualTo(client.id());
    assertThat(finished.path("sdk_version").asText()).isEqualTo("2.57.8");
    for (String run : RUNS) {
      outcome.assertRightKeyDidEverything(run);
      outcome.assertWrongKeyRefusedEverywhere(run);
      for (JsonNode step : outcome.steps(run)) {
        for (JsonNode request : step.path("requests")) {
          assertThat(request.path("authorization_seen").asBoolean())
              .as("the SDK signs in the control case")
              .isTrue();
        }
      }
    }
    outcome.assertVirtualHosted("ctl_virtual");
    assertThat(result.exitCode()).as(result.describe()).isZero();
  }
}
