package dev.alter.contract.aws;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The parts of a request that SigV4 signs, as they will go on the wire: method, path and query
 * exactly as written in the request line (already percent-encoded by the client), the headers to
 * sign (including {@code host} and {@code x-amz-date}), and the payload hash (hex SHA-256, or a
 * marker such as {@code UNSIGNED-PAYLOAD}).
 */
public final class SigV4Request {
  private final String method;
  private final String rawPath;
  private final String rawQuery;
  private final List<String[]> headers = new ArrayList<>();
  private final String payloadHash;

  public SigV4Request(String method, String rawPath, String rawQuery, String payloadHash) {
    this.method = method;
    this.rawPath = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    this.rawQuery = rawQuery;
    this.payloadHash = payloadHash;
  }

  public SigV4Request header(String name, String value) {
    headers.add(new String[] {name, value});
    return this;
  }

  public String method() {
    return method;
  }

  public String rawPath() {
    return rawPath;
  }

  public String rawQuery() {
    return rawQuery;
  }

  public List<String[]> headers() {
    return Collections.unmodifiableList(headers);
  }

  public String payloadHash() {
    return payloadHash;
  }
}
