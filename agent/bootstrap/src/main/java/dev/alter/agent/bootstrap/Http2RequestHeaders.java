package dev.alter.agent.bootstrap;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The request an HTTP/2 header block of an event-loop client describes, for advice that holds the
 * block as an {@code Iterable} of name/value pairs (Netty's {@code Http2Headers}). Pseudo-headers
 * give the method and target; {@code :authority} is never trusted, the origin is the peer the
 * connection dialled ({@link DialledPeer}).
 */
public final class Http2RequestHeaders {
  private Http2RequestHeaders() {}

  /**
   * @param endStream true when the header block ends the stream: the request has no body
   * @return null when the origin cannot be told or the block is not a request
   */
  public static OutgoingRequest request(
      Iterable<? extends Map.Entry<? extends CharSequence, ? extends CharSequence>> headers,
      boolean endStream,
      String tlsHost,
      int tlsPort,
      SocketAddress remote) {
    String method = null;
    String path = null;
    for (Map.Entry<? extends CharSequence, ? extends CharSequence> header : headers) {
      CharSequence name = header.getKey();
      if (name.length() > 0 && name.charAt(0) == ':') {
        String pseudo = name.toString();
        if (pseudo.equals(":method")) {
          method = String.valueOf(header.getValue());
        } else if (pseudo.equals(":path")) {
          path = String.valueOf(header.getValue());
        }
      }
    }
    if (method == null) {
      return null;
    }
    OutgoingRequest outgoing =
        DialledPeer.request(method, tlsHost, tlsPort, remote, path == null ? "/" : path);
    if (outgoing == null) {
      return null;
    }
    for (Map.Entry<? extends CharSequence, ? extends CharSequence> header : headers) {
      CharSequence name = header.getKey();
      if (name.length() == 0 || name.charAt(0) != ':') {
        outgoing.header(name.toString(), String.valueOf(header.getValue()));
      }
    }
    if (endStream) {
      outgoing.body(OutgoingBody.none());
    }
    return outgoing;
  }

  /**
   * The rewrite for a header block as {@link AlterBridge#rewriteWithoutBlocking} gives it, or a
   * refusal when {@link #request} could not tell the request's origin ({@code outgoing} null).
   */
  public static CompletableFuture<RequestRewrite> decide(
      OutgoingRequest outgoing, CharSequence grant) {
    if (outgoing == null) {
      CompletableFuture<RequestRewrite> refused = new CompletableFuture<>();
      refused.completeExceptionally(originUnknown(grant));
      return refused;
    }
    return AlterBridge.rewriteWithoutBlocking(outgoing);
  }

  /** The refusal for a header block whose connection's origin cannot be told. */
  public static AlterCredentialException originUnknown(CharSequence grant) {
    return new AlterCredentialException(
        AlterCredentialException.HOST_NOT_ALLOWED,
        grant == null ? null : grant.toString(),
        "the origin this Netty HTTP/2 connection dialled cannot be told",
        "send tagged requests over TCP or TLS connections");
  }

  /** True when the rewrite drops the header {@code name} (names compared ignoring case). */
  public static boolean removed(RequestRewrite rewrite, CharSequence name) {
    return rewrite.removes(name.toString());
  }

  /** The header name an injected header takes in an HTTP/2 block (lower case, as HTTP/2 wants). */
  public static String injectedName(RequestRewrite rewrite, int i) {
    return rewrite.addName(i).toLowerCase(java.util.Locale.ROOT);
  }

  /** The injected value {@code i}, remembered for log masking and marked never-indexed. */
  public static CharSequence injectedValue(RequestRewrite rewrite, int i) {
    String value = rewrite.addValue(i);
    WireLogRedaction.remember(value);
    return new SensitiveHeaderValue(value);
  }
}
