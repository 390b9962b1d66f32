package dev.alter.agent.injection.aws;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.injection.RequestTarget;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.aws.AwsDerivedCredential;
import dev.alter.contract.aws.AwsScope;
import dev.alter.contract.aws.SigV4Request;
import dev.alter.contract.aws.SigV4Signature;
import dev.alter.contract.aws.SigV4Signer;
import java.time.Instant;

/**
 * Signs the request as it will go on the wire with AWS SigV4, using only the derived signing key
 * the resolver sealed to this process: the method, the raw request target (S3 as sent; other
 * services normalised and double-encoded, as {@link SigV4Signer#forService} says), the Host the
 * client writes, the {@code x-amz-*} and {@code content-md5} headers, and the body's hash.
 *
 * <p>Whatever {@code Authorization}, {@code X-Amz-Date} and {@code X-Amz-Security-Token} the app or
 * its SDK set are replaced. A body that cannot be hashed goes as {@code UNSIGNED-PAYLOAD} to S3
 * (which allows it) and fails the request ({@code body_not_signable}) for every other service: a
 * request is never sent unsigned. A body that reading may have left unable to replay fails the
 * request for S3 too.
 */
public final class AwsRequestSigner {
  static final String CONTENT_SHA256 = "x-amz-content-sha256";
  static final String DATE = "x-amz-date";
  static final String SECURITY_TOKEN = "x-amz-security-token";

  private final PayloadHasher payloads;

  /**
   * @param maxSignedBodyBytes the largest body read to hash (see {@code
   *     AgentConfig.maxSignedBodyBytes()})
   */
  public AwsRequestSigner(long maxSignedBodyBytes) {
    this.payloads = new PayloadHasher(maxSignedBodyBytes);
  }

  public long maxSignedBodyBytes() {
    return payloads.limit();
  }

  /**
   * @param now the signing time; its UTC date must be the key's scope date (the resolver makes
   *     sure)
   * @throws AlterCredentialException {@code body_not_signable} naming the grant and why
   */
  public RequestRewrite sign(
      String grant, AwsDerivedCredential key, OutgoingRequest request, Instant now)
      throws AlterCredentialException {
    AwsScope scope = key.scope();
    boolean s3 = isS3(scope.service());
    RequestTarget target = RequestTarget.parse(request.pathAndQuery());

    String appPayloadHash = trimmedOrNull(request.firstHeader(CONTENT_SHA256));
    String payloadHash =
        appPayloadHash != null ? appPayloadHash : payloadHash(grant, request, scope, s3);
    // S3 requires the header; the AWS SDK v2 signer (AwsV4HttpSigner) sends and signs it for every
    // service, so the agent does too: the wire request is the one the SDK would have sent
    boolean addContentSha = appPayloadHash == null;

    String amzDate = SigV4Signer.amzDate(now);
    SigV4Request canonical =
        new SigV4Request(request.method(), target.rawPath, target.rawQuery, payloadHash);
    canonical.header("host", HostHeader.of(request));
    canonical.header(DATE, amzDate);
    canonical.header(CONTENT_SHA256, payloadHash);
    String sessionToken = key.sessionToken();
    if (sessionToken != null) {
      canonical.header(SECURITY_TOKEN, sessionToken);
    }
    SignedHeaders.addSignable(request, canonical);

    SigV4Signature signature =
        SigV4Signer.forService(scope.service())
            .sign(canonical, scope, now, key.accessKeyId(), key.signingKey());

    RequestRewrite.Builder rewrite =
        RequestRewrite.builder()
            .put("Authorization", signature.authorization())
            .put("X-Amz-Date", amzDate);
    if (sessionToken != null) {
      rewrite.put("X-Amz-Security-Token", sessionToken);
    } else {
      rewrite.remove(SECURITY_TOKEN);
    }
    if (addContentSha) {
      rewrite.put(CONTENT_SHA256, payloadHash);
    }
    return rewrite.build();
  }

  private String payloadHash(String grant, OutgoingRequest request, AwsScope scope, boolean s3)
      throws AlterCredentialException {
    try {
      return payloads.sha256Hex(request.body());
    } catch (BodyNotHashable e) {
      if (s3 && !e.bodyUnsendable()) {
        // S3 accepts an unsigned payload; the headers and the request line are still signed
        return SigV4Signer.UNSIGNED_PAYLOAD;
      }
      throw new AlterCredentialException(
          ErrorCode.BODY_NOT_SIGNABLE.code(),
          grant,
          e.reason()
              + "; AWS service "
              + scope.service()
              + " needs the body's SHA-256 in the signature",
          "send a repeatable body (a byte array, string or file body) of at most "
              + Sizes.describe(payloads.limit())
              + ", or raise ALTER_AWS_MAX_SIGNED_BODY_BYTES");
    }
  }

  static boolean isS3(String service) {
    return "s3".equals(service)
        || "s3-object-lambda".equals(service)
        || "s3express".equals(service);
  }

  private static String trimmedOrNull(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    return v.isEmpty() ? null : v;
  }
}
