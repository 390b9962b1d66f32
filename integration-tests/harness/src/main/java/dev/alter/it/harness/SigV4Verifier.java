package dev.alter.it.harness;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent AWS Signature Version 4 computation (JDK only, written from the AWS specification,
 * sharing no code with the agent) that recomputes, from what a {@link RecordingServer} received and
 * the known secret access key, the signature AWS would expect, so a test can compare it with the
 * {@code Authorization} header that arrived.
 *
 * <p>It trusts nothing the request claims about the scope: the access key id, region and service
 * are the test's; the date is the request's {@code X-Amz-Date}. Only the list of signed headers is
 * taken from the request (it is itself part of what is signed). The payload hash is the request's
 * {@code x-amz-content-sha256} when present (and {@link #payloadHashProblem} says whether it
 * matches the body), else the SHA-256 of the received body.
 */
public final class SigV4Verifier {
  public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";

  private final String accessKeyId;
  private final String secretAccessKey;
  private final String region;
  private final String service;

  public SigV4Verifier(String accessKeyId, String secretAccessKey, String region, String service) {
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
    this.region = region;
    this.service = service;
  }

  /** The parts of an {@code Authorization: AWS4-HMAC-SHA256 …} header. */
  public static final class Authorization {
    public final String credential;
    public final List<String> signedHeaders;
    public final String signature;

    private Authorization(String credential, List<String> signedHeaders, String signature) {
      this.credential = credential;
      this.signedHeaders = signedHeaders;
      this.signature = signature;
    }

    public static Authorization parse(String header) {
      if (header == null || !header.startsWith(ALGORITHM + " ")) {
        throw new AssertionError(
            "not a SigV4 Authorization header: "
                + (header == null ? "none" : header.substring(0, Math.min(header.length(), 20))));
      }
      String credential = null;
      String signedHeaders = null;
      String signature = null;
      for (String field : header.substring(ALGORITHM.length() + 1).split(",")) {
        String f = field.trim();
        if (f.startsWith("Credential=")) {
          credential = f.substring("Credential=".length());
        } else if (f.startsWith("SignedHeaders=")) {
          signedHeaders = f.substring("SignedHeaders=".length());
        } else if (f.startsWith("Signature=")) {
          signature = f.substring("Signature=".length());
        }
      }
      if (credential == null || signedHeaders == null || signature == null) {
        throw new AssertionError("incomplete SigV4 Authorization header: " + header);
      }
      return new Authorization(credential, List.of(signedHeaders.split(";")), signature);
    }
  }

  /**
   * The credential scope this verifier expects, e.g. {@code
   * AKID/20260101/eu-west-1/sqs/aws4_request}.
   */
  public String expectedCredential(String amzDate) {
    return accessKeyId
        + "/"
        + amzDate.substring(0, 8)
        + "/"
        + region
        + "/"
        + service
        + "/aws4_request";
  }

  /**
   * The signature the received request must carry, computed from its wire form and the known
   * secret.
   */
  public String expectedSignature(RecordedRequest received) {
    Authorization authorization = Authorization.parse(received.header("Authorization"));
    String amzDate = received.header("X-Amz-Date");
    if (amzDate == null) {
      throw new AssertionError("the request carries no X-Amz-Date");
    }
    return signature(
        received.method(),
        received.target(),
        headerSource(received),
        authorization.signedHeaders,
        payloadHash(received),
        amzDate);
  }

  /**
   * Throws an {@link AssertionError} unless the request's SigV4 signature is exactly the one the
   * known secret gives and its credential scope is this verifier's.
   */
  public void verify(RecordedRequest received) {
    Authorization authorization = Authorization.parse(received.header("Authorization"));
    String amzDate = received.header("X-Amz-Date");
    String expectedCredential = expectedCredential(amzDate);
    if (!expectedCredential.equals(authorization.credential)) {
      throw new AssertionError(
          "credential scope " + authorization.credential + ", expected " + expectedCredential);
    }
    String expected = expectedSignature(received);
    if (!expected.equals(authorization.signature)) {
      throw new AssertionError(
          "SigV4 signature of "
              + received.method()
              + " "
              + received.target()
              + " does not match an independent computation (signed headers "
              + authorization.signedHeaders
              + ")");
    }
  }

  /**
   * Null when {@code x-amz-content-sha256} is the hex SHA-256 of the received body (or, when {@code
   * unsignedAllowed}, {@code UNSIGNED-PAYLOAD}); otherwise what is wrong.
   */
  public static String payloadHashProblem(RecordedRequest received, boolean unsignedAllowed) {
    String header = received.header("x-amz-content-sha256");
    if (header == null) {
      return "no x-amz-content-sha256 header";
    }
    if (UNSIGNED_PAYLOAD.equals(header)) {
      return unsignedAllowed ? null : "UNSIGNED-PAYLOAD where the body's hash was expected";
    }
    String actual = hex(sha256(received.body()));
    return actual.equals(header)
        ? null
        : "x-amz-content-sha256 " + header + " is not the body's hash " + actual;
  }

  /**
   * The SigV4 signature of one request, from its parts; public so it can be checked against AWS's
   * own examples.
   */
  public String signature(
      String method,
      String rawTarget,
      HeaderSource headers,
      List<String> signedHeaders,
      String payloadHash,
      String amzDate) {
    int q = rawTarget.indexOf('?');
    String rawPath = q < 0 ? rawTarget : rawTarget.substring(0, q);
    String rawQuery = q < 0 ? "" : rawTarget.substring(q + 1);

    StringBuilder canonicalHeaders = new StringBuilder();
    for (String name : signedHeaders) {
      List<String> values = headers.values(name);
      if (values.isEmpty()) {
        throw new AssertionError("signed header " + name + " did not arrive");
      }
      List<String> trimmed = new ArrayList<>();
      for (String value : values) {
        trimmed.add(value.trim().replaceAll(" +", " "));
      }
      canonicalHeaders
          .append(name.toLowerCase(Locale.ROOT))
          .append(':')
          .append(String.join(",", trimmed))
          .append('\n');
    }
    String canonicalRequest =
        method
            + "\n"
            + canonicalPath(rawPath)
            + "\n"
            + canonicalQuery(rawQuery)
            + "\n"
            + canonicalHeaders
            + "\n"
            + String.join(";", signedHeaders)
            + "\n"
            + payloadHash;
    String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
    String stringToSign =
        ALGORITHM
            + "\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));

    byte[] key =
        hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    return hex(hmac(key, stringToSign));
  }

  /** Where header values come from: all values of one header name, case-insensitively, in order. */
  public interface HeaderSource {
    List<String> values(String name);
  }

  private static HeaderSource headerSource(RecordedRequest received) {
    return name -> {
      List<String> values = received.headerValues(name);
      if (values.isEmpty() && "host".equalsIgnoreCase(name) && received.authority() != null) {
        return List.of(received.authority()); // HTTP/2: :authority is the Host
      }
      return values;
    };
  }

  private static String payloadHash(RecordedRequest received) {
    String header = received.header("x-amz-content-sha256");
    return header != null ? header : hex(sha256(received.body()));
  }

  /**
   * S3 signs the path as sent (each segment URI-encoded once); every other service removes dot
   * segments and encodes the already-encoded path a second time.
   */
  private String canonicalPath(String rawPath) {
    String path = rawPath.isEmpty() ? "/" : rawPath;
    if (service.equals("s3")) {
      StringBuilder out = new StringBuilder();
      String[] segments = path.split("/", -1);
      for (int i = 0; i < segments.length; i++) {
        out.append(i == 0 ? "" : "/").append(encode(decode(segments[i])));
      }
      return out.toString();
    }
    Deque<String> kept = new ArrayDeque<>();
    String[] segments = path.split("/", -1);
    for (int i = 1; i < segments.length; i++) {
      if (segments[i].equals(".")) {
        continue;
      }
      if (segments[i].equals("..")) {
        kept.pollLast();
        continue;
      }
      kept.addLast(segments[i]);
    }
    StringBuilder out = new StringBuilder();
    for (String segment : kept) {
      out.append('/').append(encode(segment));
    }
    return out.length() == 0 ? "/" : out.toString();
  }

  /** Name/value pairs decoded, then URI-encoded, sorted by name and then value. */
  private static String canonicalQuery(String rawQuery) {
    if (rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      pairs.add(new String[] {encode(decode(name)), encode(decode(value))});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder out = new StringBuilder();
    for (String[] pair : pairs) {
      out.append(out.length() == 0 ? "" : "&").append(pair[0]).append('=').append(pair[1]);
    }
    return out.toString();
  }

  /** RFC 3986 percent-encoding: only A-Z a-z 0-9 - _ . ~ stay; hex digits upper case. */
  static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** Percent-decoding only ('+' stays '+', as AWS reads query strings). */
  static String decode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data == null ? new byte[0] : data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lower-case hex, as SigV4 writes hashes and signatures. */
  public static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = Character.forDigit((bytes[i] >> 4) & 0xf, 16);
      out[2 * i + 1] = Character.forDigit(bytes[i] & 0xf, 16);
    }
    return new String(out);
  }

  /** The hex SHA-256 of some bytes, e.g. to state the payload hash a test expects. */
  public static String sha256Hex(byte[] data) {
    return hex(sha256(data));
  }

  @Override
  public String toString() {
    // never the secret access key
    return "SigV4Verifier{" + accessKeyId + " " + region + "/" + service + "}";
  }
}
