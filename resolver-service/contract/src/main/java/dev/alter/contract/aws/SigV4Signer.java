package dev.alter.contract.aws;

import dev.alter.contract.Hex;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 over the Authorization header, computed from the derived signing key only
 * ({@link AwsSigningKey}), never from the secret access key.
 *
 * <p>Path handling has the two independent switches AWS defines: {@code normalizePath} (remove dot
 * segments and empty segments) and {@code doubleEncodePath} (percent-encode the path as it appears
 * in the request line). S3 uses neither; every other service uses both.
 */
public final class SigV4Signer {
  public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  public static final String EMPTY_PAYLOAD_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  private final boolean normalizePath;
  private final boolean doubleEncodePath;

  public SigV4Signer(boolean normalizePath, boolean doubleEncodePath) {
    this.normalizePath = normalizePath;
    this.doubleEncodePath = doubleEncodePath;
  }

  /** S3 signs the path exactly as sent; other services normalise and double-encode. */
  public static SigV4Signer forService(String service) {
    boolean s3 =
        "s3".equals(service) || "s3-object-lambda".equals(service) || "s3express".equals(service);
    return new SigV4Signer(!s3, !s3);
  }

  public static String amzDate(Instant time) {
    return AMZ_DATE.format(time);
  }

  public SigV4Signature sign(
      SigV4Request request, AwsScope scope, Instant time, String accessKeyId, byte[] signingKey) {
    StringBuilder canonicalHeaders = new StringBuilder();
    String signedHeaders = canonicalHeaders(request.headers(), canonicalHeaders);
    String canonicalRequest =
        request.method().toUpperCase(Locale.ROOT)
            + '\n'
            + canonicalUri(request.rawPath())
            + '\n'
            + canonicalQuery(request.rawQuery())
            + '\n'
            + canonicalHeaders
            + '\n'
            + signedHeaders
            + '\n'
            + request.payloadHash();
    String stringToSign =
        SigV4Signature.ALGORITHM
            + '\n'
            + amzDate(time)
            + '\n'
            + scope.credentialScope()
            + '\n'
            + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    String signature = hex(hmac(signingKey, stringToSign));
    String authorization =
        SigV4Signature.ALGORITHM
            + " Credential="
            + accessKeyId
            + '/'
            + scope.credentialScope()
            + ", SignedHeaders="
            + signedHeaders
            + ", Signature="
            + signature;
    return new SigV4Signature(
        canonicalRequest, stringToSign, signature, signedHeaders, authorization);
  }

  String canonicalUri(String rawPath) {
    String path = normalizePath ? removeDotAndEmptySegments(rawPath) : rawPath;
    return doubleEncodePath ? uriEncode(path, false) : path;
  }

  static String removeDotAndEmptySegments(String path) {
    Deque<String> kept = new ArrayDeque<>();
    String[] segments = path.split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        kept.pollLast();
      } else {
        kept.addLast(segment);
      }
    }
    // as the AWS SDK does: a trailing slash survives only if the path literally ends with one
    boolean trailingSlash = path.endsWith("/");
    StringBuilder out = new StringBuilder();
    for (String segment : kept) {
      out.append('/').append(segment);
    }
    if (out.length() == 0) {
      return "/";
    }
    return trailingSlash ? out.append('/').toString() : out.toString();
  }

  /** Parameters sorted by encoded name then value, each decoded once and strictly re-encoded. */
  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> params = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.add(
          new String[] {
            uriEncode(percentDecode(name), true), uriEncode(percentDecode(value), true)
          });
    }
    params.sort(
        (a, b) -> {
          int byName = a[0].compareTo(b[0]);
          return byName != 0 ? byName : a[1].compareTo(b[1]);
        });
    StringBuilder out = new StringBuilder();
    for (String[] p : params) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(p[0]).append('=').append(p[1]);
    }
    return out.toString();
  }

  /** Appends {@code name:value\n} lines sorted by name; returns the signed-headers list. */
  static String canonicalHeaders(List<String[]> headers, StringBuilder out) {
    Map<String, StringBuilder> byName = new TreeMap<>();
    for (String[] h : headers) {
      String name = h[0].trim().toLowerCase(Locale.ROOT);
      String value = collapseWhitespace(h[1]);
      StringBuilder existing = byName.get(name);
      if (existing == null) {
        byName.put(name, new StringBuilder(value));
      } else {
        existing.append(',').append(value);
      }
    }
    StringBuilder signed = new StringBuilder();
    for (Map.Entry<String, StringBuilder> e : byName.entrySet()) {
      out.append(e.getKey()).append(':').append(e.getValue()).append('\n');
      if (signed.length() > 0) {
        signed.append(';');
      }
      signed.append(e.getKey());
    }
    return signed.toString();
  }

  private static String collapseWhitespace(String value) {
    StringBuilder out = new StringBuilder(value.length());
    boolean pendingSpace = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pendingSpace = out.length() > 0;
      } else {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  /** RFC 3986 unreserved characters stay; everything else (UTF-8 bytes) becomes %XX. */
  static String uriEncode(String s, boolean encodeSlash) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xff;
      boolean unreserved =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || c == '~';
      if (unreserved || (c == '/' && !encodeSlash)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX_UPPER[c >> 4]).append(HEX_UPPER[c & 0xf]);
      }
    }
    return out.toString();
  }

  /** Decodes %XX escapes; a malformed escape is kept literally (and so re-encoded as %25…). */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%'
          && i + 2 < bytes.length
          && hexValue(bytes[i + 1]) >= 0
          && hexValue(bytes[i + 2]) >= 0) {
        out.write(hexValue(bytes[i + 1]) * 16 + hexValue(bytes[i + 2]));
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  private static int hexValue(byte b) {
    if (b >= '0' && b <= '9') return b - '0';
    if (b >= 'a' && b <= 'f') return b - 'a' + 10;
    if (b >= 'A' && b <= 'F') return b - 'A' + 10;
    return -1;
  }

  public static String sha256Hex(byte[] data) {
    try {
      return hex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  static String hex(byte[] bytes) {
    return Hex.encode(bytes);
  }
}
