package dev.alter.agent.injection.aws;

/**
 * Hashes one HTTP client's own body object (an {@code OutgoingBody.clientObject} of its family)
 * through that client's public API, without consuming what the client will send: only bodies that
 * declare themselves repeatable are read, and never more than the limit. The client's
 * instrumentation module supplies it ({@code InstrumentationModule.bodyReaders()}).
 */
public interface ClientBodyReader {
  /** The {@code OutgoingBody.family()} this reader reads, e.g. {@code OutgoingBody.OKHTTP}. */
  String family();

  /**
   * @return lower-case hex SHA-256 of the body
   */
  String sha256Hex(Object body, long limit) throws BodyNotHashable;

  /**
   * The length the body object declares, without reading it; -1 when it does not say (a grant
   * policy's max_body_bytes then refuses the request).
   */
  default long contentLength(Object body) {
    return -1;
  }
}
