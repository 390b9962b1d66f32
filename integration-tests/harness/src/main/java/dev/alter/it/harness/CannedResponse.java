package dev.alter.it.harness;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the recording server answers to a path: status, headers and body. */
public final class CannedResponse {
  private final int status;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;

  private CannedResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    this.status = status;
    this.headers = List.copyOf(headers);
    this.body = body;
  }

  public static CannedResponse status(int status) {
    return new CannedResponse(status, List.of(), new byte[0]);
  }

  public static CannedResponse ok(String body) {
    return status(200).withBody("text/plain; charset=utf-8", body);
  }

  public static CannedResponse json(String json) {
    return status(200).withBody("application/json", json);
  }

  /** A redirect ({@code 301, 302, 303, 307, 308}) to an absolute or relative location. */
  public static CannedResponse redirect(int status, String location) {
    return status(status).withHeader("Location", location);
  }

  public CannedResponse withHeader(String name, String value) {
    List<Map.Entry<String, String>> copy = new ArrayList<>(headers);
    copy.add(Map.entry(name, value));
    return new CannedResponse(status, copy, body);
  }

  public CannedResponse withBody(String contentType, String text) {
    return new CannedResponse(status, headers, text.getBytes(StandardCharsets.UTF_8))
        .withHeader("Content-Type", contentType);
  }

  public int status() {
    return status;
  }

  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  public byte[] body() {
    return body.clone();
  }
}
