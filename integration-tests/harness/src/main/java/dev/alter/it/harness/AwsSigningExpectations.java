package dev.alter.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.AwsSigningScenario;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What every client must achieve in {@link AwsSigningScenario}, checked from what the child app
 * reported and what the {@link RecordingServer} received: each sent request carries a SigV4
 * signature equal to an independent computation with the known secret ({@link SigV4Verifier}), the
 * right payload hash, the session token, no {@code alter-*} header and none of the app's
 * placeholders; the over-large body fails with {@code body_not_signable} before anything is sent;
 * the one-shot S3 upload goes out as {@code UNSIGNED-PAYLOAD}. The secret access key appears
 * nowhere.
 */
public final class AwsSigningExpectations {
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final AwsSigningWorld world;
  private final boolean bodiesReadable;
  private final List<String> problems = new ArrayList<>();

  private AwsSigningExpectations(AwsSigningWorld world, boolean bodiesReadable) {
    this.world = world;
    this.bodiesReadable = bodiesReadable;
  }

  /**
   * For clients whose write hook hands the agent the body object: buffered bodies are hashed.
   *
   * @param result the finished child JVM that ran {@link AwsSigningScenario#run}
   * @throws AssertionError listing every expectation that failed
   */
  public static void verify(AwsSigningWorld world, ChildResult result) {
    verify(world, result, true);
  }

  /**
   * For clients whose bodies the agent cannot read ahead of sending (Apache 5 async on HttpCore
   * 5.1): every body counts as streamed, so a non-S3 request with a body fails with {@code
   * body_not_signable} before anything is sent and S3 uploads go as {@code UNSIGNED-PAYLOAD}; the
   * rest is as in {@link #verify}.
   */
  public static void verifyWithoutBodyAccess(AwsSigningWorld world, ChildResult result) {
    verify(world, result, false);
  }

  private static void verify(AwsSigningWorld world, ChildResult result, boolean bodiesReadable) {
    AwsSigningExpectations check = new AwsSigningExpectations(world, bodiesReadable);
    check.run(result);
    if (!check.problems.isEmpty()) {
      throw new AssertionError(
          check.problems.size()
              + " AWS signing expectation(s) failed:\n - "
              + String.join("\n - ", check.problems)
              + "\n"
              + result.describe());
    }
  }

  private void run(ChildResult result) {
    List<JsonNode> reports = result.reports();
    if (reports.stream().noneMatch(r -> r.path("done").asBoolean())) {
      problems.add("the child did not finish the scenario (exit " + result.exitCode() + ")");
    }
    Instant sentAfter = Instant.now().minus(Duration.ofMinutes(10));

    JsonNode get = step(reports, AwsSigningScenario.SQS_GET_QUERY);
    RecordedRequest getReceived =
        expectSigned(get, AwsSigningScenario.SQS_GET_QUERY, "sqs", false, sentAfter);
    if (getReceived != null) {
      expectPayloadHash(
          getReceived, SigV4Verifier.sha256Hex(new byte[0]), AwsSigningScenario.SQS_GET_QUERY);
      String query = getReceived.target().substring(getReceived.target().indexOf('?') + 1);
      if (!query.startsWith("Version=2012-11-05&Action=ReceiveMessage")) {
        problems.add("sqs-get-query: the query arrived changed: " + query);
      }
      if (getReceived.headerValues("Authorization").size() != 1
          || getReceived
              .header("Authorization")
              .equals(AwsSigningScenario.PLACEHOLDER_AUTHORIZATION)) {
        problems.add(
            "sqs-get-query: the app's placeholder Authorization was not replaced: "
                + getReceived.headerValues("Authorization").size()
                + " value(s)");
      }
      if (getReceived.headerValues("X-Amz-Date").size() != 1
          || AwsSigningScenario.PLACEHOLDER_DATE.equals(getReceived.header("X-Amz-Date"))) {
        problems.add(
            "sqs-get-query: the app's X-Amz-Date was not replaced: "
                + getReceived.headerValues("X-Amz-Date"));
      }
    }

    JsonNode post = step(reports, AwsSigningScenario.SQS_POST_FORM);
    RecordedRequest postReceived =
        bodiesReadable
            ? expectSigned(post, AwsSigningScenario.SQS_POST_FORM, "sqs", false, sentAfter)
            : expectRefusedUnsent(post, AwsSigningScenario.SQS_POST_FORM);
    if (postReceived != null) {
      expectPayloadHash(
          postReceived,
          SigV4Verifier.sha256Hex(AwsSigningScenario.formBody()),
          AwsSigningScenario.SQS_POST_FORM);
      if (!Arrays.equals(postReceived.body(), AwsSigningScenario.formBody())) {
        problems.add("sqs-post-form: the body arrived changed");
      }
    }

    JsonNode put = step(reports, AwsSigningScenario.S3_PUT_METADATA);
    RecordedRequest putReceived =
        expectSigned(put, AwsSigningScenario.S3_PUT_METADATA, "s3", !bodiesReadable, sentAfter);
    if (putReceived != null) {
      expectPayloadHash(
          putReceived,
          bodiesReadable
              ? SigV4Verifier.sha256Hex(AwsSigningScenario.metadataObject())
              : SigV4Verifier.UNSIGNED_PAYLOAD,
          AwsSigningScenario.S3_PUT_METADATA);
      List<String> signed = signedHeaders(putReceived);
      if (!signed.contains("x-amz-meta-owner") || !signed.contains("x-amz-meta-purpose")) {
        problems.add("s3-put-metadata: x-amz-meta-* headers are not signed: " + signed);
      }
      if (!"alice".equals(putReceived.header("x-amz-meta-owner"))) {
        problems.add(
            "s3-put-metadata: x-amz-meta-owner arrived as "
                + putReceived.header("x-amz-meta-owner"));
      }
    }

    expectRefusedUnsent(
        step(reports, AwsSigningScenario.SQS_LARGE_BODY), AwsSigningScenario.SQS_LARGE_BODY);

    JsonNode streamed = step(reports, AwsSigningScenario.S3_PUT_STREAMED);
    RecordedRequest streamedReceived =
        expectSigned(streamed, AwsSigningScenario.S3_PUT_STREAMED, "s3", true, sentAfter);
    if (streamedReceived != null) {
      if (!SigV4Verifier.UNSIGNED_PAYLOAD.equals(streamedReceived.header("x-amz-content-sha256"))) {
        problems.add(
            "s3-put-streamed: a one-shot body went out with x-amz-content-sha256 "
                + streamedReceived.header("x-amz-content-sha256")
                + ", expected UNSIGNED-PAYLOAD");
      }
      if (!Arrays.equals(streamedReceived.body(), AwsSigningScenario.streamedObject())) {
        problems.add(
            "s3-put-streamed: the body arrived changed ("
                + streamedReceived.body().length
                + " bytes)");
      }
    }

    for (RecordedRequest request : world.aws.requests()) {
      if (request.contains(world.secretAccessKey)) {
        problems.add(
            "the secret access key reached the server in "
                + request.method()
                + " "
                + request.target());
      }
    }
    if (result.stdout().contains(world.secretAccessKey)
        || result.stderr().contains(world.secretAccessKey)) {
      problems.add("the secret access key appears in the app's output");
    }
  }

  /**
   * The step failed with the agent's {@code body_not_signable} IOException naming the grant, and
   * nothing was sent.
   */
  private RecordedRequest expectRefusedUnsent(JsonNode report, String stepName) {
    if (report != null) {
      String code = report.path("error").path("code").asText(null);
      if (!"body_not_signable".equals(code)) {
        problems.add(
            stepName
                + ": expected the agent's body_not_signable failure, got "
                + (report.has("error")
                    ? "error code "
                        + code
                        + " ("
                        + report.path("error").path("class").asText()
                        + ")"
                    : "status " + report.path("status").asText()));
      } else if (!report.path("error").path("is_io_exception").asBoolean()) {
        problems.add(stepName + ": the failure is not an IOException");
      } else if (!world.grant.equals(report.path("error").path("grant_id").asText())) {
        problems.add(stepName + ": the failure does not name the grant");
      }
    }
    if (!received(stepName).isEmpty()) {
      problems.add(stepName + ": a request reached the server although it could not be signed");
    }
    return null;
  }

  private JsonNode step(List<JsonNode> reports, String name) {
    for (JsonNode report : reports) {
      if (name.equals(report.path("step").asText())) {
        return report;
      }
    }
    problems.add(name + ": the child reported nothing for this step");
    return null;
  }

  private List<RecordedRequest> received(String stepName) {
    String path = AwsSigningScenario.path(stepName);
    List<RecordedRequest> matching = new ArrayList<>();
    for (RecordedRequest request : world.aws.requests()) {
      String target = request.target();
      int q = target.indexOf('?');
      if ((q < 0 ? target : target.substring(0, q)).equals(path)) {
        matching.add(request);
      }
    }
    return matching;
  }

  /**
   * The one request of this step, checked for status, signature, token and alter-* headers; null if
   * absent.
   */
  private RecordedRequest expectSigned(
      JsonNode report,
      String stepName,
      String service,
      boolean unsignedPayload,
      Instant sentAfter) {
    if (report == null) {
      return null;
    }
    if (report.path("status").asInt() != 200) {
      problems.add(stepName + ": expected status 200, child saw " + report);
    }
    List<RecordedRequest> matching = received(stepName);
    if (matching.size() != 1) {
      problems.add(stepName + ": expected one request at the server, got " + matching.size());
      return null;
    }
    RecordedRequest request = matching.get(0);
    if (request.hasAnyAlterHeader()) {
      problems.add(stepName + ": an alter-* header reached the server");
    }
    if (!world.sessionToken.equals(request.header("X-Amz-Security-Token"))
        || request.headerValues("X-Amz-Security-Token").size() != 1) {
      problems.add(stepName + ": X-Amz-Security-Token is not the stored session token");
    }
    String amzDate = request.header("X-Amz-Date");
    try {
      Instant signedAt = AMZ_DATE.parse(amzDate, Instant::from);
      if (signedAt.isBefore(sentAfter)
          || signedAt.isAfter(Instant.now().plus(Duration.ofMinutes(1)))) {
        problems.add(stepName + ": X-Amz-Date " + amzDate + " is not the time of sending");
      }
    } catch (RuntimeException e) {
      problems.add(stepName + ": X-Amz-Date missing or malformed: " + amzDate);
      return request;
    }
    List<String> signed = signedHeaders(request);
    for (String required :
        List.of("host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token")) {
      if (!signed.contains(required)) {
        problems.add(stepName + ": " + required + " is not among the signed headers " + signed);
      }
    }
    String payloadProblem = SigV4Verifier.payloadHashProblem(request, unsignedPayload);
    if (payloadProblem != null) {
      problems.add(stepName + ": " + payloadProblem);
    }
    try {
      world.verifier(service).verify(request);
    } catch (AssertionError e) {
      problems.add(stepName + ": " + e.getMessage());
    }
    return request;
  }

  private void expectPayloadHash(RecordedRequest request, String expected, String stepName) {
    if (!expected.equals(request.header("x-amz-content-sha256"))) {
      problems.add(
          stepName
              + ": x-amz-content-sha256 is "
              + request.header("x-amz-content-sha256")
              + ", expected the body's SHA-256 "
              + expected);
    }
  }

  private List<String> signedHeaders(RecordedRequest request) {
    try {
      return SigV4Verifier.Authorization.parse(request.header("Authorization")).signedHeaders;
    } catch (AssertionError e) {
      problems.add(request.target() + ": " + e.getMessage());
      return List.of();
    }
  }
}
