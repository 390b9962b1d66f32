package dev.alter.agent.bootstrap;

/**
 * The request body as the client holds it when the header block is written, so a signer can hash it
 * (AWS SigV4) without consuming what the client will send. Advice only labels what it has; reading
 * happens in the agent core, and only for requests whose secret needs the body.
 *
 * <ul>
 *   <li>{@link #none()}: the request has no body.
 *   <li>{@link #bytes}: the body is fully buffered (e.g. {@code HttpURLConnection}'s poster).
 *   <li>{@link #clientObject}: the client's own body object, read by its module's body reader
 *       through the client's public API if, and only if, that object says it is repeatable ({@code
 *       okhttp3.RequestBody}, Apache {@code HttpEntity} 4 and 5 and HttpCore 5's {@code
 *       AsyncEntityProducer}, Jetty's {@code Request.Content}, the JDK's {@code
 *       HttpRequest.BodyPublisher}).
 *   <li>{@link #streamed}: the body will be streamed after the headers and cannot be read first.
 *   <li>{@link #unknown()}: the advice could not tell (treated as {@link #streamed}).
 * </ul>
 */
public final class OutgoingBody {
  public enum Kind {
    NONE,
    BYTES,
    CLIENT_OBJECT,
    STREAMED,
    UNKNOWN
  }

  /** {@code okhttp3.RequestBody} */
  public static final String OKHTTP = "okhttp";

  /** {@code org.apache.hc.core5.http.HttpEntity} */
  public static final String APACHE5 = "apache5";

  /** {@code org.apache.hc.core5.http.nio.AsyncEntityProducer} (Apache HttpClient 5 async) */
  public static final String APACHE5_ASYNC = "apache5-async";

  /** {@code org.apache.http.HttpEntity} */
  public static final String APACHE4 = "apache4";

  /** Jetty {@code Request.Content} (10 and 11: {@code client.api}; 12: {@code client}) */
  public static final String JETTY = "jetty";

  /** {@code java.net.http.HttpRequest.BodyPublisher} */
  public static final String JDK_PUBLISHER = "jdk";

  private static final OutgoingBody NONE = new OutgoingBody(Kind.NONE, null, null, 0, 0, 0L);
  private static final OutgoingBody UNKNOWN = new OutgoingBody(Kind.UNKNOWN, null, null, 0, 0, -1L);

  private final Kind kind;
  private final String family;
  private final Object content;
  private final int offset;
  private final int length;
  private final long declaredLength;

  private OutgoingBody(
      Kind kind, String family, Object content, int offset, int length, long declaredLength) {
    this.kind = kind;
    this.family = family;
    this.content = content;
    this.offset = offset;
    this.length = length;
    this.declaredLength = declaredLength;
  }

  public static OutgoingBody none() {
    return NONE;
  }

  public static OutgoingBody unknown() {
    return UNKNOWN;
  }

  /** A fully buffered body; the array is read, never written or kept beyond the request. */
  public static OutgoingBody bytes(byte[] content, int offset, int length) {
    return new OutgoingBody(Kind.BYTES, null, content, offset, length, length);
  }

  /**
   * @param declaredLength the length the client announced, or -1 (chunked / unknown)
   */
  public static OutgoingBody streamed(long declaredLength) {
    return new OutgoingBody(Kind.STREAMED, null, null, 0, 0, declaredLength);
  }

  /**
   * @param family one of {@link #OKHTTP}, {@link #APACHE5}, {@link #APACHE5_ASYNC}, {@link
   *     #APACHE4}, {@link #JETTY}, {@link #JDK_PUBLISHER}
   */
  public static OutgoingBody clientObject(String family, Object body) {
    if (body == null) {
      return NONE;
    }
    return new OutgoingBody(Kind.CLIENT_OBJECT, family, body, 0, 0, -1L);
  }

  public Kind kind() {
    return kind;
  }

  public String family() {
    return family;
  }

  /**
   * The byte array for {@link Kind#BYTES}, or the client's body object for {@link
   * Kind#CLIENT_OBJECT}.
   */
  public Object content() {
    return content;
  }

  public int offset() {
    return offset;
  }

  public int length() {
    return length;
  }

  public long declaredLength() {
    return declaredLength;
  }

  @Override
  public String toString() {
    return "OutgoingBody{" + kind + (family == null ? "" : " " + family) + "}";
  }
}
