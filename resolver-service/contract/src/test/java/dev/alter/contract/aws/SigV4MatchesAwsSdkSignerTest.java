package dev.alter.contract.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Randomised requests (methods, paths with spaces/unicode/encoded characters, repeated and
 * unordered query keys, headers with odd whitespace, bodies) signed by the AWS SDK v2 signer with
 * the full secret and by ours with only the derived key, on the same clock: identical signatures.
 */
class SigV4MatchesAwsSdkSignerTest {
  private static final String ACCESS_KEY_ID = "AKIDEXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final String SESSION_TOKEN = "FQoGZXIvYXdzEJr//////////wEaDExampleSessionToken==";
  private static final String[] METHODS = {"GET", "PUT", "POST", "DELETE", "HEAD"};
  private static final String PATH_CHARS = "abcXYZ019-_.~ +=&;,:@!$'()*%é中😀";
  private static final int REQUESTS_PER_SERVICE = 150;

  @ParameterizedTest(name = "service {0}")
  @ValueSource(strings = {"s3", "execute-api", "dynamodb"})
  void ourSignatureEqualsTheSdkSignature(String service) {
    long seed = service.hashCode() * 31L + 20261128L;
    Random random = new Random(seed);
    for (int i = 0; i < REQUESTS_PER_SERVICE; i++) {
      compareOne(random, service, "seed " + seed + " request " + i);
    }
  }

  private void compareOne(Random random, String service, String description) {
    boolean s3 = service.equals("s3");
    Instant time = Instant.parse("2026-11-28T23:59:58Z").plusSeconds(random.nextInt(5));
    String region = random.nextBoolean() ? "us-east-1" : "eu-west-1";
    String encodedPath = randomEncodedPath(random, s3);
    byte[] body = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(2048)];
    random.nextBytes(body);

    SdkHttpFullRequest.Builder sdkRequest =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.fromValue(METHODS[random.nextInt(METHODS.length)]))
            .protocol("https")
            .host(service + "." + region + ".amazonaws.com")
            .encodedPath(encodedPath);
    int params = random.nextInt(5);
    for (int p = 0; p < params; p++) {
      String name =
          random.nextInt(4) == 0 && p > 0 ? "dup" : randomText(random, 1 + random.nextInt(6));
      sdkRequest.appendRawQueryParameter(name, randomText(random, random.nextInt(8)));
    }
    int headers = random.nextInt(4);
    for (int h = 0; h < headers; h++) {
      String name =
          (random.nextBoolean() ? "x-amz-meta-" : "X-Custom-") + (char) ('a' + random.nextInt(3));
      sdkRequest.appendHeader(
          name, oddWhitespace(random) + "v " + oddWhitespace(random) + "w" + oddWhitespace(random));
    }
    SdkHttpFullRequest request = sdkRequest.build();

    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(
                            AwsSessionCredentialsIdentity.create(
                                ACCESS_KEY_ID, SECRET, SESSION_TOKEN))
                        .request(request)
                        .payload(
                            ContentStreamProvider.fromInputStreamSupplier(
                                () -> new ByteArrayInputStream(body)))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, !s3)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, !s3)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(time, ZoneOffset.UTC)));
    SdkHttpRequest sdkSigned = signed.request();
    String sdkAuthorization = sdkSigned.firstMatchingHeader("Authorization").orElseThrow();
    String signedHeaderList = sdkAuthorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1");

    // Ours: the request as it goes on the wire, the SDK's choice of signed headers, derived key
    // only.
    String payloadHash =
        sdkSigned.firstMatchingHeader("x-amz-content-sha256").orElse(SigV4Signer.sha256Hex(body));
    SigV4Request ours =
        new SigV4Request(
            request.method().name(), request.encodedPath(), rawQueryOf(sdkSigned), payloadHash);
    List<String> signedNames = List.of(signedHeaderList.split(";"));
    sdkSigned.forEachHeader(
        (name, values) -> {
          if (signedNames.contains(name.toLowerCase(Locale.ROOT))) {
            values.forEach(v -> ours.header(name, v));
          }
        });
    if (signedNames.contains("host") && sdkSigned.firstMatchingHeader("Host").isEmpty()) {
      ours.header("host", request.host());
    }
    AwsScope scope = AwsScope.at(time, region, service);
    SigV4Signature signature =
        SigV4Signer.forService(service)
            .sign(ours, scope, time, ACCESS_KEY_ID, AwsSigningKey.derive(SECRET, scope));

    assertThat(signature.authorization())
        .as(description + " path=" + encodedPath)
        .isEqualTo(sdkAuthorization);
  }

  private static String rawQueryOf(SdkHttpRequest request) {
    StringBuilder query = new StringBuilder();
    request
        .rawQueryParameters()
        .forEach(
            (name, values) ->
                values.forEach(
                    v -> {
                      if (query.length() > 0) {
                        query.append('&');
                      }
                      query
                          .append(SigV4Signer.uriEncode(name, true))
                          .append('=')
                          .append(SigV4Signer.uriEncode(v == null ? "" : v, true));
                    }));
    return query.length() == 0 ? null : query.toString();
  }

  private static String randomEncodedPath(Random random, boolean allowOddSegments) {
    StringBuilder path = new StringBuilder();
    int segments = 1 + random.nextInt(4);
    for (int s = 0; s < segments; s++) {
      path.append('/');
      if (allowOddSegments && random.nextInt(6) == 0) {
        path.append(random.nextBoolean() ? "" : "..");
        continue;
      }
      path.append(SigV4Signer.uriEncode(randomText(random, 1 + random.nextInt(8)), true));
    }
    if (random.nextInt(4) == 0) {
      path.append('/');
    }
    return path.toString();
  }

  private static String randomText(Random random, int length) {
    int[] codePoints = PATH_CHARS.codePoints().toArray();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
    }
    return out.toString();
  }

  private static String oddWhitespace(Random random) {
    return List.of("", " ", "  ", "\t", " \t  ").get(random.nextInt(5));
  }

  @SuppressWarnings("unused")
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
