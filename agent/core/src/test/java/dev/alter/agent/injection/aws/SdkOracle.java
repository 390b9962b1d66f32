package dev.alter.agent.injection.aws;

import dev.alter.agent.bootstrap.OutgoingRequest;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The AWS SDK v2 signer ({@code AwsV4HttpSigner}) with the full secret, as the reference the
 * agent's signatures must equal: it gets the request as it goes on the wire, with the headers the
 * agent signs (the SDK signs every header it is given).
 */
final class SdkOracle {
  private SdkOracle() {}

  /**
   * @param signedHeaders the request's own headers the agent covers (x-amz-*, content-md5),
   *     name/value pairs
   * @param body the body bytes, or null to sign {@code UNSIGNED-PAYLOAD}
   */
  static String authorization(
      OutgoingRequest request,
      List<String[]> signedHeaders,
      byte[] body,
      String region,
      String service,
      Instant time,
      String sessionToken) {
    String target = request.pathAndQuery();
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    SdkHttpFullRequest.Builder sdk =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.fromValue(request.method()))
            .protocol(request.scheme())
            .host(request.host())
            .encodedPath(path);
    if (request.port() > 0) {
      sdk.port(request.port());
    }
    if (q >= 0) {
      for (String pair : target.substring(q + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        sdk.appendRawQueryParameter(
            decode(eq < 0 ? pair : pair.substring(0, eq)),
            eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    for (String[] h : signedHeaders) {
      sdk.appendHeader(h[0], h[1]);
    }
    boolean s3 = service.equals("s3");
    SdkHttpFullRequest unsigned = sdk.build();
    byte[] payload = body == null ? new byte[0] : body;
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(
                            sessionToken == null
                                ? AwsCredentialsIdentity.create(
                                    FakeAwsResolver.ACCESS_KEY_ID, FakeAwsResolver.SECRET)
                                : AwsSessionCredentialsIdentity.create(
                                    FakeAwsResolver.ACCESS_KEY_ID,
                                    FakeAwsResolver.SECRET,
                                    sessionToken))
                        .request(unsigned)
                        .payload(
                            ContentStreamProvider.fromInputStreamSupplier(
                                () -> new ByteArrayInputStream(payload)))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, !s3)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, !s3)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, body != null)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(time, ZoneOffset.UTC)));
    return signed.request().firstMatchingHeader("Authorization").orElseThrow();
  }

  /** Percent-decoding only ('+' stays '+'), as SigV4 reads a raw query. */
  private static String decode(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
