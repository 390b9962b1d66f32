package dev.alter.agent.injection.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.injection.AlterRequestInjector;
import dev.alter.agent.injection.InjectionApplier;
import dev.alter.agent.resolver.GrantResolver;
import dev.alter.contract.aws.AwsEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.threeten.extra.MutableClock;

/**
 * Randomised requests (methods, paths with spaces/unicode/encoded characters, repeated and
 * unordered query keys written the way clients encode them, headers with odd whitespace, app-set
 * credentials in any case, bodies, session tokens) go through the injector, which signs them with
 * the key a fake service derived; the AWS SDK v2 signer, holding the full secret, signs the same
 * wire request on the same clock: the Authorization headers are identical.
 */
class AwsSignatureMatchesSdkTest {
  private static final String[] METHODS = {"GET", "PUT", "POST", "DELETE", "HEAD", "PATCH"};
  private static final String TEXT_CHARS = "abcXYZ019-_.~ +=&;,:@!$'()*%/?#é中😀";

  /**
   * What clients leave unencoded in a query (RFC 3986 sub-delims and more), beyond the unreserved.
   */
  private static final String QUERY_RAW_OK = "!$'()*,;:@/?";

  private static final int REQUESTS_PER_HOST = 120;

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "s3.eu-west-1.amazonaws.com",
        "my-bucket.s3.us-east-1.amazonaws.com",
        "dynamodb.eu-west-1.amazonaws.com",
        "abc123.execute-api.us-west-2.amazonaws.com",
        "sts.amazonaws.com",
        "127.0.0.1:9000"
      })
  void agentSignatureEqualsSdkSignature(String authority) throws Exception {
    long seed = authority.hashCode() * 31L + 20261128L;
    Random random = new Random(seed);
    for (int i = 0; i < REQUESTS_PER_HOST; i++) {
      compareOne(random, authority, "seed " + seed + " request " + i);
    }
  }

  private void compareOne(Random random, String authority, String description) throws Exception {
    MutableClock clock = MutableClock.of(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC);
    clock.add(Duration.ofSeconds(random.nextInt(86_400)));
    Instant time = clock.instant();
    FakeAwsResolver service = new FakeAwsResolver();
    boolean session = random.nextBoolean();
    if (session) {
      service.sessionToken = FakeAwsResolver.SESSION_TOKEN;
      service.sessionExpiresAtEpochSeconds = time.getEpochSecond() + 3600;
    }
    AlterRequestInjector injector =
        AlterRequestInjector.resolvingWith(
            new GrantResolver<>(
                service,
                clock,
                Duration.ofSeconds(2),
                Duration.ofMinutes(15),
                new InjectionApplier()),
            null,
            1 << 20);

    boolean local = authority.startsWith("127.");
    String host = local ? "127.0.0.1" : authority;
    AwsEndpoint endpoint = AwsEndpoint.fromHost(host);
    String region = endpoint == null ? FakeAwsResolver.DEFAULT_REGION : endpoint.region();
    String service3 = endpoint == null ? FakeAwsResolver.DEFAULT_SERVICE : endpoint.service();
    boolean s3 = service3.equals("s3");

    String method = METHODS[random.nextInt(METHODS.length)];
    String target = randomPath(random, s3) + randomQuery(random);
    OutgoingRequest request =
        new OutgoingRequest(method, local ? "http" : "https", host, local ? 9000 : -1, target);
    List<String[]> signable = new ArrayList<>();
    request.header("alter-grant", "grt_aws");
    if (random.nextBoolean()) {
      request.header(random.nextBoolean() ? "Host" : "host", local ? "127.0.0.1:9000" : host);
    }
    // app or SDK placeholders the agent must replace, in any case
    if (random.nextBoolean()) {
      request.header(
          random.nextBoolean() ? "Authorization" : "AUTHORIZATION",
          "AWS4-HMAC-SHA256 Credential=anonymous");
    }
    if (random.nextBoolean()) {
      request.header(random.nextBoolean() ? "X-Amz-Date" : "x-amz-date", "19990101T000000Z");
    }
    if (random.nextBoolean()) {
      request.header("X-AMZ-SECURITY-TOKEN", "app-token");
    }
    int headers = random.nextInt(5);
    for (int h = 0; h < headers; h++) {
      String suffix = String.valueOf((char) ('a' + random.nextInt(3)));
      String value =
          oddWhitespace(random) + "v " + oddWhitespace(random) + "w" + oddWhitespace(random);
      if (random.nextBoolean()) {
        String name = (random.nextBoolean() ? "X-Amz-Meta-" : "x-amz-meta-") + suffix;
        request.header(name, value);
        signable.add(new String[] {name, value});
      } else {
        // never signed: custom, hop-by-hop and tracing headers
        String[] unsigned = {
          "X-Custom-" + suffix,
          "traceparent",
          "X-Amzn-Trace-Id",
          "Connection",
          "User-Agent",
          "Content-Type",
          "b3"
        };
        request.header(unsigned[random.nextInt(unsigned.length)], value);
      }
    }
    if (random.nextInt(4) == 0) {
      request.header("Content-MD5", "1B2M2Y8AsgTpgAlh5lfchw==");
      signable.add(new String[] {"content-md5", "1B2M2Y8AsgTpgAlh5lfchw=="});
    }
    byte[] body = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(4096)];
    random.nextBytes(body);
    if (body.length == 0 && random.nextBoolean()) {
      request.body(OutgoingBody.none());
    } else {
      int offset = random.nextInt(8);
      byte[] padded = new byte[offset + body.length + random.nextInt(8)];
      System.arraycopy(body, 0, padded, offset, body.length);
      request.body(OutgoingBody.bytes(padded, offset, body.length));
    }

    RequestRewrite rewrite = injector.rewrite(request);

    String authorization = added(rewrite, "Authorization");
    assertThat(rewrite.removes("authorization")).isTrue();
    assertThat(rewrite.removes("x-amz-date")).isTrue();
    assertThat(rewrite.removes("x-amz-security-token")).isTrue();
    assertThat(added(rewrite, "X-Amz-Date"))
        .isEqualTo(dev.alter.contract.aws.SigV4Signer.amzDate(time));
    assertThat(added(rewrite, "X-Amz-Security-Token"))
        .isEqualTo(session ? FakeAwsResolver.SESSION_TOKEN : null);
    String contentSha = added(rewrite, "x-amz-content-sha256");
    assertThat(contentSha).isEqualTo(dev.alter.contract.aws.SigV4Signer.sha256Hex(body));
    signable.add(new String[] {"x-amz-content-sha256", contentSha});
    String expected =
        SdkOracle.authorization(
            request,
            signable,
            body,
            region,
            service3,
            time,
            session ? FakeAwsResolver.SESSION_TOKEN : null);
    assertThat(authorization).as(description + " " + method + " " + target).isEqualTo(expected);
    assertThat(authorization).doesNotContain(FakeAwsResolver.SECRET);
  }

  static String added(RequestRewrite rewrite, String name) {
    String value = null;
    for (int i = 0; i < rewrite.addCount(); i++) {
      if (rewrite.addName(i).equalsIgnoreCase(name)) {
        assertThat(value).as("added once: " + name).isNull();
        value = rewrite.addValue(i);
      }
    }
    return value;
  }

  /**
   * Encoded paths as clients write them: strict encoding, raw sub-delims, lower-case hex; S3 also
   * odd segments.
   */
  private static String randomPath(Random random, boolean s3) {
    StringBuilder path = new StringBuilder();
    int segments = 1 + random.nextInt(4);
    for (int s = 0; s < segments; s++) {
      path.append('/');
      if (s3 && random.nextInt(6) == 0) {
        path.append(random.nextBoolean() ? "" : "..");
        continue;
      }
      path.append(
          clientEncode(random, randomText(random, 1 + random.nextInt(8)), "!$'()*,;:@=+&", true));
    }
    if (random.nextInt(4) == 0) {
      path.append('/');
    }
    return path.toString();
  }

  private static String randomQuery(Random random) {
    int params = random.nextInt(5);
    if (params == 0) {
      return random.nextInt(8) == 0 ? "?" : "";
    }
    StringBuilder query = new StringBuilder("?");
    for (int p = 0; p < params; p++) {
      if (p > 0) {
        query.append('&');
      }
      String name =
          random.nextInt(3) == 0 && p > 0 ? "dup" : randomText(random, 1 + random.nextInt(6));
      query.append(clientEncode(random, name, QUERY_RAW_OK, false));
      if (random.nextInt(5) != 0) {
        query
            .append('=')
            .append(
                clientEncode(random, randomText(random, random.nextInt(8)), QUERY_RAW_OK, false));
      }
    }
    return query.toString();
  }

  /**
   * Percent-encodes UTF-8 except unreserved characters and {@code rawOk}; hex case varies like
   * clients'.
   */
  private static String clientEncode(Random random, String s, String rawOk, boolean path) {
    StringBuilder out = new StringBuilder();
    boolean lowerHex = random.nextInt(4) == 0;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean unreserved =
          c >= 'A' && c <= 'Z'
              || c >= 'a' && c <= 'z'
              || c >= '0' && c <= '9'
              || "-_.~".indexOf(c) >= 0;
      boolean raw =
          unreserved
              || c < 0x80 && rawOk.indexOf(c) >= 0 && random.nextBoolean() && (path || c != '+');
      if (raw && !(path && (c == '?' || c == '/'))) {
        out.append((char) c);
      } else {
        String hex = String.format("%%%02X", c);
        out.append(lowerHex ? hex.toLowerCase(Locale.ROOT) : hex);
      }
    }
    return out.toString();
  }

  private static String randomText(Random random, int length) {
    int[] codePoints = TEXT_CHARS.codePoints().toArray();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
    }
    return out.toString();
  }

  private static String oddWhitespace(Random random) {
    return List.of("", " ", "  ", "\t", " \t  ").get(random.nextInt(5));
  }
}
