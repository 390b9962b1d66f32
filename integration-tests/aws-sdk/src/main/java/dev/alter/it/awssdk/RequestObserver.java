package dev.alter.it.awssdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * What the SDK hands to its HTTP client, seen through the app's own execution interceptor after the
 * SDK signed (or, with anonymous credentials, did not sign) the request: the signing-related
 * headers, so the test can tell which payload mode each client and checksum setting uses, and
 * whether the app ever saw an {@code Authorization} header (under the agent it must not).
 */
final class RequestObserver implements ExecutionInterceptor {
  private static final List<String> SIGNING_HEADERS =
      List.of(
          "x-amz-content-sha256",
          "content-encoding",
          "x-amz-trailer",
          "x-amz-decoded-content-length",
          "transfer-encoding",
          "content-length",
          "x-amz-sdk-checksum-algorithm",
          "content-md5");

  private final List<Map<String, Object>> attempts = new ArrayList<>();

  @Override
  public synchronized void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
    SdkHttpRequest request = context.httpRequest();
    Map<String, Object> seen = new LinkedHashMap<>();
    seen.put("method", request.method().name());
    seen.put("protocol", request.protocol());
    seen.put("host", request.host());
    Map<String, List<String>> headers = request.headers();
    for (String name : SIGNING_HEADERS) {
      seen.put(name, first(headers, name));
    }
    // name: value of every x-amz-* header (the token's value is never the app's business)
    List<String> amzHeaders = new ArrayList<>();
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith("x-amz-")) {
        amzHeaders.add(
            name
                + ": "
                + (name.equals("x-amz-security-token")
                    ? "(present)"
                    : String.join(",", header.getValue())));
      }
    }
    Collections.sort(amzHeaders);
    seen.put("x_amz_headers", amzHeaders);
    seen.put("authorization_seen", first(headers, "authorization") != null);
    seen.put("alter_grant_seen", first(headers, "alter-grant") != null);
    attempts.add(seen);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey().toLowerCase(Locale.ROOT).equals(name) && !header.getValue().isEmpty()) {
        return header.getValue().get(0);
      }
    }
    return null;
  }

  /**
   * The attempts since the last call (one per HTTP request, retries included), then forgets them.
   */
  synchronized List<Map<String, Object>> drain() {
    List<Map<String, Object>> drained = new ArrayList<>(attempts);
    attempts.clear();
    return drained;
  }
}
