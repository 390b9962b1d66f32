package dev.alter.agent.injection.aws;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.contract.aws.SigV4Request;
import java.util.List;
import java.util.Locale;

/**
 * Which of the request's own headers the signature covers: every {@code x-amz-*} header it carries
 * and {@code content-md5}. That is what AWS requires; other headers are left out on purpose, so
 * that hop-by-hop headers (connection, keep-alive, te, trailer, transfer-encoding, upgrade,
 * proxy-*) and tracing headers (traceparent, tracestate, x-amzn-trace-id, b3…) that proxies or
 * agents may change never break a signature. The headers the signer itself sets are added by it,
 * not here.
 */
final class SignedHeaders {
  private SignedHeaders() {}

  static void addSignable(OutgoingRequest request, SigV4Request canonical) {
    List<String> names = request.headerNames();
    List<String> values = request.headerValues();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).trim().toLowerCase(Locale.ROOT);
      if (isSignable(name)) {
        canonical.header(name, values.get(i) == null ? "" : values.get(i));
      }
    }
  }

  static boolean isSignable(String lowerCaseName) {
    if (lowerCaseName.equals(AwsRequestSigner.DATE)
        || lowerCaseName.equals(AwsRequestSigner.SECURITY_TOKEN)
        || lowerCaseName.equals(AwsRequestSigner.CONTENT_SHA256)
        || lowerCaseName.equals(AlterBridge.GRANT_HEADER)
        || lowerCaseName.equals(AlterBridge.IDENTITY_HEADER)) {
      // set (or kept, or removed) by the signer itself; alter-* never leave the process
      return false;
    }
    return lowerCaseName.startsWith("x-amz-") || lowerCaseName.equals("content-md5");
  }
}
