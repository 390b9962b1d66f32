package dev.alter.agent.bootstrap;

import java.util.List;

/**
 * The body an HTTP/2 request's header block tells of, for advice that cannot reach the client's
 * body object (HttpCore's stream channel and HPACK encoder). HTTP/2 has no chunking, so a body of
 * unknown length shows no content-length, just as no body does: only bodiless methods say none.
 */
public final class Http2DeclaredBody {
  private Http2DeclaredBody() {}

  /** From the request's method and its last {@code content-length} header, if any. */
  public static OutgoingBody of(OutgoingRequest outgoing) {
    long declared = -2L; // -2: no content-length header
    List<String> names = outgoing.headerNames();
    List<String> values = outgoing.headerValues();
    for (int i = 0; i < names.size(); i++) {
      if ("content-length".equalsIgnoreCase(names.get(i))) {
        try {
          declared = Long.parseLong(values.get(i).trim());
        } catch (NumberFormatException e) {
          declared = -1L;
        }
      }
    }
    if (declared == 0L) {
      return OutgoingBody.none();
    }
    if (declared > 0L) {
      return OutgoingBody.streamed(declared);
    }
    String method = outgoing.method();
    if ("GET".equals(method)
        || "HEAD".equals(method)
        || "DELETE".equals(method)
        || "OPTIONS".equals(method)
        || "TRACE".equals(method)) {
      return OutgoingBody.none();
    }
    return OutgoingBody.unknown();
  }
}
