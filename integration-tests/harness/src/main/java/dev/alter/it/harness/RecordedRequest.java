package dev.alter.it.harness;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One request exactly as the recording server received it: protocol version, method, request
 * target, the header fields in arrival order with their names as sent (HTTP/2 sends lower case),
 * and the body bytes.
 */
public final class RecordedRequest {
  private final String protocol;
  private final String scheme;
  private final String method;
  private final String target;
  private final String authority;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;
  private final String connection;

  /** When the server received it (epoch millis): the same clock the test and its children read. */
  private final long receivedAtMillis = System.currentTimeMillis();

  RecordedRequest(
      String protocol,
      String scheme,
      String method,
      String target,
      String authority,
      List<Map.Entry<String, String>> headers,
      byte[] body,
      String connection) {
    this.protocol = protocol;
    this.scheme = scheme;
    this.method = method;
    this.target = target;
    this.authority = authority;
    this.headers = List.copyOf(headers);
    this.body = body.clone();
    this.connection = connection;
  }

  /** The server's id of the connection it arrived on: equal ids, one connection. */
  public String connection() {
    return connection;
  }

  /** {@code HTTP/1.1} or {@code HTTP/2.0}. */
  public long receivedAtMillis() {
    return receivedAtMillis;
  }

  public String protocol() {
    return protocol;
  }

  public boolean isHttp2() {
    return protocol.startsWith("HTTP/2");
  }

  public String scheme() {
    return scheme;
  }

  public String method() {
    return method;
  }

  /** Path and query as received, e.g. {@code /api/v1/series?x=1}. */
  public String target() {
    return target;
  }

  /** The {@code Host} header or {@code :authority} the client sent. */
  public String authority() {
    return authority;
  }

  /** All header fields, in order, as (name, value) pairs. */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** The header names, in order, as sent. */
  public List<String> headerNames() {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, String> h : headers) {
      names.add(h.getKey());
    }
    return names;
  }

  /** Every value of a header, case-insensitively, in order. */
  public List<String> headerValues(String name) {
    List<String> values = new ArrayList<>();
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        values.add(h.getValue());
      }
    }
    return values;
  }

  /** The first value of a header, case-insensitively, or null. */
  public String header(String name) {
    List<String> values = headerValues(name);
    return values.isEmpty() ? null : values.get(0);
  }

  public boolean hasHeader(String name) {
    return header(name) != null;
  }

  /** True if any header name starts with {@code alter-}, in any case. */
  public boolean hasAnyAlterHeader() {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().regionMatches(true, 0, "alter-", 0, 6)) {
        return true;
      }
    }
    return false;
  }

  public byte[] body() {
    return body.clone();
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** True if the value occurs anywhere in what was received: target, any header, or the body. */
  public boolean contains(String value) {
    if (target.contains(value) || bodyText().contains(value)) {
      return true;
    }
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().contains(value) || h.getValue().contains(value)) {
        return true;
      }
    }
    return false;
  }

  /** Header names and values are shown: the recording server only ever sees test data. */
  @Override
  public String toString() {
    return protocol + " " + method + " " + target + " " + headers + " body=" + body.length + "B";
  }
}
