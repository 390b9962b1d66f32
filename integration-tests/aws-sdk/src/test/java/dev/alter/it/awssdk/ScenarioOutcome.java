package dev.alter.it.awssdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The child's per-call reports ({@code S3Scenario}) and the assertions every client shares: the
 * rightly keyed client did everything and got its bytes back; the wrongly keyed one was refused by
 * the server's signature check on every call.
 */
final class ScenarioOutcome {
  static final String SIGNATURE_DOES_NOT_MATCH = "SignatureDoesNotMatch";

  private final ChildResult result;
  private final String bucketPrefix;

  ScenarioOutcome(ChildResult result, String bucketPrefix) {
    this.result = result;
    this.bucketPrefix = bucketPrefix;
  }

  ChildResult result() {
    return result;
  }

  List<JsonNode> steps(String run) {
    List<JsonNode> steps = new ArrayList<>();
    for (JsonNode report : result.reports()) {
      if (report.path("run").asText().equals(run)) {
        steps.add(report);
      }
    }
    return steps;
  }

  List<JsonNode> steps(String run, String as) {
    return steps(run).stream().filter(s -> s.path("as").asText().equals(as)).toList();
  }

  JsonNode step(String run, String name, String as) {
    return steps(run, as).stream()
        .filter(s -> s.path("step").asText().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no report of "
                        + as
                        + " "
                        + name
                        + " in run "
                        + run
                        + "\n"
                        + result.describe()));
  }

  JsonNode finished() {
    for (JsonNode report : result.reports()) {
      if (report.path("finished").asBoolean()) {
        return report;
      }
    }
    throw new AssertionError("the child never finished\n" + result.describe());
  }

  /**
   * Every call with the right key succeeded, the objects came back byte for byte, all was cleaned
   * up.
   */
  void assertRightKeyDidEverything(String run) {
    List<JsonNode> good = steps(run, "good");
    assertThat(good)
        .as("calls with the right key in run %s\n%s", run, result.describe())
        .hasSize(13);
    for (JsonNode step : good) {
      assertThat(step.path("ok").asBoolean())
          .as("%s %s succeeded: %s", run, step.path("step").asText(), step.path("failure"))
          .isTrue();
    }
    for (String get : List.of("get_small", "get_3mib", "get_9mib")) {
      JsonNode read = step(run, get, "good").path("result");
      assertThat(read.path("bytes_match").asBoolean()).as("%s %s bytes", run, get).isTrue();
      assertThat(read.path("length").asInt()).isEqualTo(read.path("expected_length").asInt());
    }
    assertThat(step(run, "get_9mib", "good").path("result").path("length").asInt())
        .isEqualTo(9 << 20);
    assertThat(texts(step(run, "list", "good").path("result").path("keys")))
        .containsExactly(S3Scenario.NINE_MIB_KEY, S3Scenario.SMALL_KEY, S3Scenario.THREE_MIB_KEY);
    JsonNode deleted = step(run, "delete_objects", "good").path("result");
    assertThat(texts(deleted.path("deleted")))
        .containsExactlyInAnyOrder(S3Scenario.THREE_MIB_KEY, S3Scenario.NINE_MIB_KEY);
    assertThat(deleted.path("errors").asInt()).isZero();
    assertThat(texts(step(run, "list_after_delete", "good").path("result").path("keys"))).isEmpty();
    assertThat(texts(step(run, "list_buckets", "good").path("result").path("buckets")))
        .doesNotContain(bucket(run));
  }

  /** Every call with the wrong secret access key was refused by the server as a bad signature. */
  void assertWrongKeyRefusedEverywhere(String run) {
    List<JsonNode> wrong = steps(run, "wrong");
    assertThat(wrong)
        .as("calls with the wrong key in run %s\n%s", run, result.describe())
        .hasSize(6);
    for (JsonNode step : wrong) {
      JsonNode failure = step.path("failure");
      assertThat(step.path("ok").asBoolean())
          .as("%s wrong-key %s must fail", run, step.path("step").asText())
          .isFalse();
      assertThat(failure.path("error_code").asText())
          .as("%s wrong-key %s: %s", run, step.path("step").asText(), failure)
          .isEqualTo(SIGNATURE_DOES_NOT_MATCH);
      assertThat(failure.path("status").asInt()).isEqualTo(403);
    }
  }

  /** The bucket calls of a virtual-hosted run went to BUCKET.s3.eu-west-1.amazonaws.com. */
  void assertVirtualHosted(String run) {
    for (String name : List.of("create_bucket", "put_small", "get_9mib", "list", "delete_bucket")) {
      JsonNode requests = step(run, name, "good").path("requests");
      assertThat(requests.size()).isPositive();
      requests.forEach(
          r ->
              assertThat(r.path("host").asText())
                  .as("%s %s host", run, name)
                  .isEqualTo(bucket(run) + "." + AwsWorld.S3_HOST));
    }
  }

  String bucket(String run) {
    return bucketPrefix + "-" + run.replace('_', '-');
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }
}
