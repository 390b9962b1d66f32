package dev.alter.agent.bootstrap;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;

/**
 * The origin an event-loop connection really dialled, as advice on its request encoder reads it:
 * over TLS the peer host and port the TLS engine was created for (the name its handshake verified
 * and sent as SNI, also through a proxy tunnel), otherwise the host and port of the channel's
 * remote peer. The request's own {@code Host} header is never used: the application can set it to
 * anything.
 */
public final class DialledPeer {
  private DialledPeer() {}

  /**
   * @param tlsHost the TLS engine's peer host, or null when the connection is not TLS
   * @param uri the request target as the client will write it (origin or absolute form)
   * @return null when the origin cannot be told (the advice fails the request)
   */
  public static OutgoingRequest request(
      String method, String tlsHost, int tlsPort, SocketAddress remote, String uri) {
    String scheme;
    String host;
    int port;
    if (tlsHost != null) {
      scheme = "https";
      host = tlsHost;
      port = tlsPort;
    } else if (remote instanceof InetSocketAddress) {
      scheme = "http";
      host = ((InetSocketAddress) remote).getHostString();
      port = ((InetSocketAddress) remote).getPort();
    } else {
      return null;
    }
    if (host == null || host.isEmpty()) {
      return null;
    }
    if (port <= 0
        || (scheme.equals("https") && port == 443)
        || (scheme.equals("http") && port == 80)) {
      port = -1;
    }
    return new OutgoingRequest(method, scheme, host, port, originForm(uri));
  }

  /** The path and query of an absolute-form target; an origin-form one as it is. */
  static String originForm(String uri) {
    if (uri == null || uri.isEmpty() || uri.startsWith("/")) {
      return uri;
    }
    try {
      URI parsed = new URI(uri);
      if (parsed.getRawAuthority() == null) {
        return uri;
      }
      String path =
          parsed.getRawPath() == null || parsed.getRawPath().isEmpty() ? "/" : parsed.getRawPath();
      return parsed.getRawQuery() == null ? path : path + "?" + parsed.getRawQuery();
    } catch (java.net.URISyntaxException e) {
      return uri;
    }
  }
}
