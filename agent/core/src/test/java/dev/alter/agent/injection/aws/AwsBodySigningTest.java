package dev.alter.agent.injection.aws;

import static dev.alter.agent.injection.aws.AwsSignatureMatchesSdkTest.added;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.injection.AlterRequestInjector;
import dev.alter.agent.injection.InjectionApplier;
import dev.alter.agent.resolver.GrantResolver;
import dev.alter.contract.aws.SigV4Signer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

/**
 * Every way a client can hold the body: hashed when it can be read again without changing what is
 * sent and fits the limit; otherwise S3 gets {@code UNSIGNED-PAYLOAD} and any other service fails
 * the request with {@code body_not_signable} naming the grant and why. Never sent unsigned.
 */
class AwsBodySigningTest {
  private static final String S3 = "s3.eu-west-1.amazonaws.com";
  private static final String DYNAMODB = "dynamodb.eu-west-1.amazonaws.com";
  private static final int LIMIT = 64 * 1024;
  private static final byte[] CONTENT =
      "{\"TableName\":\"orders\",\"Key\":{\"id\":{\"S\":\"é 1\"}}}"
          .getBytes(StandardCharsets.UTF_8);
  private static final String CONTENT_SHA = SigV4Signer.sha256Hex(CONTENT);

  static {
    // the Apache modules' readers, as installing those modules registers them
    ClientBodyReaders.register(
        List.of(
            new RepeatableEntityReader(
                OutgoingBody.APACHE5, "org.apache.hc.core5.http.HttpEntity", "Apache HttpClient 5"),
            new RepeatableEntityReader(
                OutgoingBody.APACHE4, "org.apache.http.HttpEntity", "Apache HttpClient 4"),
            new ClientBodyReader() {
              @Override
              public String family() {
                return UNREWINDABLE;
              }

              @Override
              public String sha256Hex(Object body, long limit) throws BodyNotHashable {
                throw BodyNotHashable.unsendable("the test body could not be rewound");
              }
            }));
  }

  /** A reader whose body reading leaves unable to replay. */
  private static final String UNREWINDABLE = "test-unrewindable";

  private final MutableClock clock =
      MutableClock.of(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
  private final FakeAwsResolver service = new FakeAwsResolver();
  private final AlterRequestInjector injector =
      AlterRequestInjector.resolvingWith(
          new GrantResolver<>(
              service,
              clock,
              Duration.ofSeconds(2),
              Duration.ofMinutes(15),
              new InjectionApplier()),
          null,
          LIMIT);

  // ---- readable bodies are hashed, and the signature is the SDK's for those bytes

  @Test
  void bufferedBytesAreHashed() throws Exception {
    assertSignedWithHash(DYNAMODB, OutgoingBody.bytes(CONTENT, 0, CONTENT.length), CONTENT);
  }

  @Test
  void noBodyHashesTheEmptyString() throws Exception {
    assertSignedWithHash(DYNAMODB, OutgoingBody.none(), new byte[0]);
  }

  @Test
  void repeatableApache5EntityIsHashed() throws Exception {
    assertSignedWithHash(
        DYNAMODB,
        OutgoingBody.clientObject(
            OutgoingBody.APACHE5,
            new org.apache.hc.core5.http.io.entity.ByteArrayEntity(
                CONTENT, org.apache.hc.core5.http.ContentType.APPLICATION_JSON)),
        CONTENT);
  }

  @Test
  void repeatableApache4EntityIsHashed() throws Exception {
    assertSignedWithHash(
        DYNAMODB,
        OutgoingBody.clientObject(
            OutgoingBody.APACHE4, new org.apache.http.entity.ByteArrayEntity(CONTENT)),
        CONTENT);
  }

  @Test
  void appProvidedContentSha256IsKeptAndSigned() throws Exception {
    OutgoingRequest request =
        request(S3, OutgoingBody.streamed(-1))
            .header("X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
            .header("x-amz-decoded-content-length", "5")
            .header("x-amz-trailer", "x-amz-checksum-crc32");

    RequestRewrite rewrite = injector.rewrite(request);

    assertThat(added(rewrite, "x-amz-content-sha256")).as("the SDK's value stays").isNull();
    assertThat(rewrite.removes("x-amz-content-sha256")).isFalse();
    String authorization = added(rewrite, "Authorization");
    assertThat(authorization)
        .contains(
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-trailer,");
    // the SigV4 spec by hand, with the full secret: the payload hash is the SDK's marker, verbatim
    String amzDate = "20261128T120000Z";
    String canonicalRequest =
        "POST\n/\n\nhost:"
            + S3
            + "\nx-amz-content-sha256:STREAMING-UNSIGNED-PAYLOAD-TRAILER\n"
            + "x-amz-date:"
            + amzDate
            + "\nx-amz-decoded-content-length:5\nx-amz-trailer:x-amz-checksum-crc32\n\n"
            + "host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-trailer\n"
            + "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n20261128/eu-west-1/s3/aws4_request\n"
            + SigV4Signer.sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    byte[] key =
        hmac(("AWS4" + FakeAwsResolver.SECRET).getBytes(StandardCharsets.UTF_8), "20261128");
    for (String part : new String[] {"eu-west-1", "s3", "aws4_request"}) {
      key = hmac(key, part);
    }
    assertThat(authorization).endsWith("Signature=" + hex(hmac(key, stringToSign)));
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      out.append(String.format("%02x", b));
    }
    return out.toString();
  }

  // ---- bodies that cannot be read ahead: S3 unsigned, others refused

  @Test
  void streamedApache5AndApache4Entities() throws Exception {
    assertNotSignable(
        OutgoingBody.clientObject(
            OutgoingBody.APACHE5,
            new org.apache.hc.core5.http.io.entity.InputStreamEntity(
                new ByteArrayInputStream(CONTENT),
                CONTENT.length,
                org.apache.hc.core5.http.ContentType.APPLICATION_JSON)),
        "one-shot");
    assertNotSignable(
        OutgoingBody.clientObject(
            OutgoingBody.APACHE4,
            new org.apache.http.entity.InputStreamEntity(
                new ByteArrayInputStream(CONTENT), CONTENT.length)),
        "one-shot");
  }

  @Test
  void streamedUnknownAndUnreadableClientBodies() throws Exception {
    assertNotSignable(OutgoingBody.streamed(CONTENT.length), "streamed");
    assertNotSignable(OutgoingBody.streamed(-1), "chunked");
    assertNotSignable(OutgoingBody.unknown(), "does not expose the body");
    assertNotSignable(
        OutgoingBody.clientObject("no-reader", new Object()),
        "cannot read ahead of sending (no-reader)");
  }

  @Test
  void bodiesOverTheLimitAreNeverRead() throws Exception {
    byte[] big = new byte[LIMIT * 2];
    assertNotSignable(
        OutgoingBody.bytes(big, 0, big.length),
        "the body is 128 KiB, over the 64 KiB signing limit");
    assertNotSignable(
        OutgoingBody.clientObject(
            OutgoingBody.APACHE5,
            new org.apache.hc.core5.http.io.entity.ByteArrayEntity(big, null)),
        "over the 64 KiB signing limit");
    assertNotSignable(
        OutgoingBody.clientObject(
            OutgoingBody.APACHE4, new org.apache.http.entity.ByteArrayEntity(big)),
        "over the 64 KiB signing limit");
  }

  @Test
  void aBodyReadingMayHaveSpoiledFailsForS3Too() throws Exception {
    OutgoingBody spoiled = OutgoingBody.clientObject(UNREWINDABLE, new Object());

    for (String host : List.of(S3, DYNAMODB)) {
      assertThatThrownBy(() -> injector.rewrite(request(host, spoiled)))
          .as(host)
          .isInstanceOfSatisfying(
              AlterCredentialException.class,
              e -> {
                assertThat(e.code()).isEqualTo("body_not_signable");
                assertThat(e.grantId()).isEqualTo("grt_aws");
                assertThat(e.getMessage()).contains("could not be rewound");
              });
    }
  }

  @Test
  void theLimitIsTheAgentSetting() throws Exception {
    AlterRequestInjector small =
        AlterRequestInjector.resolvingWith(
            new GrantResolver<>(
                service,
                clock,
                Duration.ofSeconds(2),
                Duration.ofMinutes(15),
                new InjectionApplier()),
            null,
            16);

    assertThatThrownBy(
            () -> small.rewrite(request(DYNAMODB, OutgoingBody.bytes(CONTENT, 0, CONTENT.length))))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("over the 16 bytes signing limit")
                    .contains("ALTER_AWS_MAX_SIGNED_BODY_BYTES"));
  }

  // ---- helpers

  private void assertSignedWithHash(String host, OutgoingBody body, byte[] expectedContent)
      throws Exception {
    OutgoingRequest request = request(host, body);
    RequestRewrite rewrite = injector.rewrite(request);
    String hash = SigV4Signer.sha256Hex(expectedContent);
    assertThat(added(rewrite, "x-amz-content-sha256")).as(body.toString()).isEqualTo(hash);
    assertThat(added(rewrite, "Authorization"))
        .as(body.toString())
        .isEqualTo(
            SdkOracle.authorization(
                request,
                List.<String[]>of(new String[] {"x-amz-content-sha256", hash}),
                expectedContent,
                "eu-west-1",
                host.startsWith("s3") ? "s3" : "dynamodb",
                clock.instant(),
                null));
  }

  /**
   * S3 signs the rest with UNSIGNED-PAYLOAD; DynamoDB refuses: body_not_signable naming the grant
   * and why.
   */
  private void assertNotSignable(OutgoingBody body, String reason) throws Exception {
    OutgoingRequest s3 = request(S3, body);
    RequestRewrite rewrite = injector.rewrite(s3);
    assertThat(added(rewrite, "x-amz-content-sha256"))
        .as(body.toString())
        .isEqualTo("UNSIGNED-PAYLOAD");
    assertThat(added(rewrite, "Authorization"))
        .isEqualTo(
            SdkOracle.authorization(
                s3,
                List.<String[]>of(new String[] {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}),
                null,
                "eu-west-1",
                "s3",
                clock.instant(),
                null));

    assertThatThrownBy(() -> injector.rewrite(request(DYNAMODB, body)))
        .as(body.toString())
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.code()).isEqualTo("body_not_signable");
              assertThat(e.grantId()).isEqualTo("grt_aws");
              assertThat(e.getMessage())
                  .contains("grt_aws")
                  .contains(reason)
                  .contains("dynamodb")
                  .contains("Nothing was sent")
                  .doesNotContain(FakeAwsResolver.SECRET)
                  .doesNotContain(FakeAwsResolver.ACCESS_KEY_ID);
            });
  }

  private static OutgoingRequest request(String host, OutgoingBody body) {
    return new OutgoingRequest("POST", "https", host, -1, "/")
        .header("alter-grant", "grt_aws")
        .header("Content-Type", "application/json")
        .body(body);
  }
}
