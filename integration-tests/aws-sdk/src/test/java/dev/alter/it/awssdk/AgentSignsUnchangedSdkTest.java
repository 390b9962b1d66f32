package dev.alter.it.awssdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildResult;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordingTcpProxy;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue #4 end to end: the unchanged SDK with AnonymousCredentialsProvider and an {@code
 * alter-grant} default header, under the real agent, against the SigV4-verifying s3proxy. Per HTTP
 * client, one child runs the whole scenario over HTTPS in the SDK's default checksum mode and with
 * WHEN_REQUIRED (path-style), with virtual-hosted buckets, and at {@code localhost} (a custom
 * endpoint whose secret sets region and service), each with the right grant (everything works,
 * bytes come back) and the grant of a wrong secret access key (every call refused with
 * SignatureDoesNotMatch), and in both checksum settings over plain HTTP through a recording relay
 * (a secret that allows plain HTTP for that origin and has a session token), where the bytes the
 * server received are checked: every request signed for eu-west-1/s3 with the stored access key id
 * and token, no {@code alter-grant}, no secret key.
 */
class AgentSignsUnchangedSdkTest {
  private static final List<String> HTTPS_RUNS =
      List.of("agent_default", "agent_required", "agent_virtual", "agent_custom_endpoint");
  private static final List<String> PLAIN_RUNS = List.of("agent_plain", "agent_plain_required");
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  @ParameterizedTest
  @EnumSource(SdkHttpClientKind.class)
  void agentSignsEveryRequestOfTheAnonymousSdk(SdkHttpClientKind client) {
    agentSignsEveryRequest(client, JavaRuntime.JDK_17);
  }

  /** The url-connection client runs on JDK internals that change between releases. */
  @ParameterizedTest
  @EnumSource(
      value = SdkHttpClientKind.class,
      names = {"URL_CONNECTION", "APACHE5"})
  void agentSignsEveryRequestOfTheAnonymousSdkOnJdk25(SdkHttpClientKind client) {
    agentSignsEveryRequest(client, JavaRuntime.JDK_25);
  }

  private void agentSignsEveryRequest(SdkHttpClientKind client, JavaRuntime runtime) {
    AwsWorld world = AwsWorld.get();
    String sessionToken = "token" + RandomHex.of(24);
    try (RecordingTcpProxy relay = RecordingTcpProxy.to(world.s3.httpPort())) {
      String plainOrigin = "http://" + AwsWorld.S3_HOST + ":" + relay.port();
      String plainGrant =
          world.grantWithSessionToken(sessionToken, plainOrigin, "plain-" + client.id());
      String https = world.httpsOrigin();
      String prefix = "alter-" + RandomHex.of(3) + "-" + client.id();
      ChildResult result =
          world
              .child(
                  client,
                  prefix,
                  "agent_default," + https + ",path,default,grant,S3IT_GOOD,S3IT_WRONG",
                  "agent_required," + https + ",path,when_required,grant,S3IT_GOOD,S3IT_WRONG",
                  "agent_virtual," + https + ",virtual,default,grant,S3IT_GOOD,S3IT_WRONG",
                  "agent_custom_endpoint,"
                      + world.customEndpoint()
                      + ",path,when_required,grant,S3IT_CUSTOM,S3IT_WRONG_CUSTOM",
                  "agent_plain," + plainOrigin + ",path,default,grant,S3IT_PLAIN,-",
                  "agent_plain_required," + plainOrigin + ",path,when_required,grant,S3IT_PLAIN,-")
              .runtime(runtime)
              .withAgent()
              .resolver(world.service.baseUrl(), world.app.apiKey)
              .env("S3IT_GOOD", world.goodGrant)
              .env("S3IT_WRONG", world.wrongGrant)
              .env("S3IT_PLAIN", plainGrant)
              .env("S3IT_CUSTOM", world.customEndpointGrant)
              .env("S3IT_WRONG_CUSTOM", world.wrongCustomEndpointGrant)
              .run();
      ScenarioOutcome outcome = new ScenarioOutcome(result, prefix);
      assertThat(outcome.finished().path("java_version").asInt())
          .isEqualTo(runtime == JavaRuntime.JDK_17 ? 17 : 25);
      PayloadModes.record(
          client.id() + " agent jdk" + (runtime == JavaRuntime.JDK_17 ? 17 : 25),
          outcome,
          List.of(
              "agent_default",
              "agent_required",
              "agent_virtual",
              "agent_custom_endpoint",
              "agent_plain",
              "agent_plain_required"));
      List<WireRequests.Head> wire = WireRequests.parse(relay.capturedText());
      recordWire(client.id() + " jdk" + (runtime == JavaRuntime.JDK_17 ? 17 : 25), wire);

      for (String run : HTTPS_RUNS) {
        outcome.assertRightKeyDidEverything(run);
        outcome.assertWrongKeyRefusedEverywhere(run);
      }
      for (String run : PLAIN_RUNS) {
        outcome.assertRightKeyDidEverything(run);
      }
      outcome.assertVirtualHosted("agent_virtual");
      assertTheAppNeverSawASignature(outcome);
      assertNoSecretInTheAppsOutput(world, result, sessionToken);
      assertWhatTheServerReceived(
          world, outcome, wire, relay.capturedText(), plainGrant, sessionToken);
      assertResolvesAudited(world, plainGrant, wire.size(), sessionToken);
      assertThat(result.exitCode()).as(result.describe()).isZero();
    }
  }

  /**
   * The service audited the plain-HTTP grant's resolves as allowed for the S3 host, far fewer than
   * the requests signed with it (the agent caches the derived key), and without a secret.
   */
  private static void assertResolvesAudited(
      AwsWorld world, String grant, int requestsSigned, String sessionToken) {
    List<JsonNode> resolves =
        world.service.admin().audit(Map.of("grant_id", grant, "action", "resolve"));
    assertThat(resolves).as("resolve audit events of %s", grant).isNotEmpty();
    assertThat(resolves.size())
        .as("resolves for %d signed requests", requestsSigned)
        .isLessThan(requestsSigned / 4);
    for (JsonNode event : resolves) {
      assertThat(event.path("outcome").asText()).isEqualTo("allowed");
      assertThat(event.path("destination_host").asText()).isEqualTo(AwsWorld.S3_HOST);
      assertThat(event.toString())
          .doesNotContain(world.s3.secretAccessKey)
          .doesNotContain(sessionToken);
    }
  }

  /**
   * The SDK handed its HTTP client unsigned requests carrying the grant; the agent signed later.
   */
  private static void assertTheAppNeverSawASignature(ScenarioOutcome outcome) {
    for (String run :
        List.of(
            "agent_default",
            "agent_required",
            "agent_virtual",
            "agent_custom_endpoint",
            "agent_plain",
            "agent_plain_required")) {
      for (JsonNode step : outcome.steps(run)) {
        for (JsonNode request : step.path("requests")) {
          assertThat(request.path("authorization_seen").asBoolean())
              .as("%s %s: the app's interceptor saw no Authorization", run, step.path("step"))
              .isFalse();
          assertThat(request.path("alter_grant_seen").asBoolean()).isTrue();
        }
      }
    }
  }

  private static void assertNoSecretInTheAppsOutput(
      AwsWorld world, ChildResult result, String sessionToken) {
    for (String secret :
        List.of(world.s3.secretAccessKey, world.wrongSecretAccessKey, sessionToken)) {
      assertThat(result.stdout()).doesNotContain(secret);
      assertThat(result.stderr()).doesNotContain(secret);
    }
  }

  private static void assertWhatTheServerReceived(
      AwsWorld world,
      ScenarioOutcome outcome,
      List<WireRequests.Head> wire,
      String captured,
      String plainGrant,
      String sessionToken) {
    int requestsSent = 0;
    for (String run : PLAIN_RUNS) {
      for (JsonNode step : outcome.steps(run)) {
        requestsSent += step.path("requests").size();
      }
    }
    assertThat(wire).as("request heads the server received over plain HTTP").hasSize(requestsSent);
    String scope = "/" + S3ProxyServer.REGION + "/s3/aws4_request";
    for (WireRequests.Head head : wire) {
      String authorization = head.header("authorization");
      assertThat(authorization)
          .as("Authorization of %s", head)
          .isNotNull()
          .startsWith("AWS4-HMAC-SHA256 Credential=" + world.s3.accessKeyId + "/")
          .contains(scope);
      assertThat(head.header("x-amz-date")).as("x-amz-date of %s", head).isNotNull();
      assertThat(head.header("x-amz-content-sha256"))
          .as("x-amz-content-sha256 of %s", head)
          .isNotNull();
      assertThat(head.header("x-amz-security-token"))
          .as("session token of %s", head)
          .isEqualTo(sessionToken);
      assertThat(signedHeaders(authorization))
          .as("signed headers of %s", head)
          .contains("host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token");
      assertThat(head.headers.keySet()).as("headers of %s", head).doesNotContain("alter-grant");
    }
    assertObjectPayloadsSignedTruthfully(outcome, wire);
    String lower = captured.toLowerCase(Locale.ROOT);
    assertThat(lower).as("bytes between SDK and server").doesNotContain("alter-grant");
    assertThat(captured)
        .doesNotContain(plainGrant)
        .doesNotContain(world.s3.secretAccessKey)
        .doesNotContain(world.wrongSecretAccessKey);
  }

  /**
   * With WHEN_REQUIRED the SDK sends object bodies plain (no aws-chunked trailer) and leaves
   * x-amz-content-sha256 to the signer: the agent signs each body's real SHA-256 or declares
   * UNSIGNED-PAYLOAD (S3 allows it), never anything else; the 9 MiB stream is past the agent's 8
   * MiB hashing limit, so it must go UNSIGNED-PAYLOAD rather than be buffered. (s3proxy checks a
   * declared hash against the body, so a wrong one would also have failed the put.)
   */
  private static void assertObjectPayloadsSignedTruthfully(
      ScenarioOutcome outcome, List<WireRequests.Head> wire) {
    String bucket = outcome.bucket("agent_plain_required");
    for (String key :
        List.of(S3Scenario.SMALL_KEY, S3Scenario.THREE_MIB_KEY, S3Scenario.NINE_MIB_KEY)) {
      String target = "/" + bucket + "/" + key;
      List<WireRequests.Head> puts =
          wire.stream().filter(h -> h.method.equals("PUT") && h.target.equals(target)).toList();
      assertThat(puts).as("PUT %s on the wire", target).hasSize(1);
      WireRequests.Head put = puts.get(0);
      assertThat(put.header("content-encoding")).as("plain body for %s", target).isNull();
      String declared = put.header("x-amz-content-sha256");
      if (key.equals(S3Scenario.NINE_MIB_KEY)) {
        assertThat(declared).as("9 MiB stream past the hashing limit").isEqualTo(UNSIGNED_PAYLOAD);
      } else {
        assertThat(declared)
            .as("payload hash of %s", target)
            .isIn(sha256Hex(S3Scenario.payload(key)), UNSIGNED_PAYLOAD);
      }
    }
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> signedHeaders(String authorization) {
    int start = authorization.indexOf("SignedHeaders=");
    if (start < 0) {
      return List.of();
    }
    String rest = authorization.substring(start + "SignedHeaders=".length());
    int comma = rest.indexOf(',');
    return List.of((comma < 0 ? rest : rest.substring(0, comma)).split(";"));
  }

  /** What reached the server over plain HTTP, beside the app's view in the payload-modes file. */
  private static void recordWire(String label, List<WireRequests.Head> wire) {
    List<String> lines = new ArrayList<>();
    for (WireRequests.Head head : wire) {
      String authorization = String.valueOf(head.header("authorization"));
      int signature = authorization.indexOf(", Signature=");
      lines.add(
          label
              + " plain wire "
              + head.method
              + " "
              + head.target
              + " | x-amz-content-sha256: "
              + head.header("x-amz-content-sha256")
              + " | content-encoding: "
              + head.header("content-encoding")
              + " | x-amz-trailer: "
              + head.header("x-amz-trailer")
              + " | content-length: "
              + head.header("content-length")
              + " | transfer-encoding: "
              + head.header("transfer-encoding")
              + " | authorization: "
              + (signature < 0 ? authorization : authorization.substring(0, signature)));
    }
    PayloadModes.append(lines);
  }
}
