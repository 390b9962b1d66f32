package dev.alter.agent.bootstrap;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import javax.net.ssl.SSLSession;

/**
 * Hands the connection a request is being written to from advice on the method that owns the
 * connection to advice on the header writer or encoder that method calls on the same thread. Some
 * clients (Apache HttpCore) write the header block in a class that cannot see its connection, yet
 * destination binding must use the origin that connection really dialled, not the request's own
 * authority (which an application can set to anything).
 */
public final class DialledConnection {
  /**
   * One slot per thread, written in place: every request head (tagged or not) passes a marked
   * method, and setting and removing a thread-local entry each time allocated a map entry per
   * request.
   */
  private static final ThreadLocal<Object[]> CURRENT = ThreadLocal.withInitial(() -> new Object[1]);

  private DialledConnection() {}

  /**
   * Marks {@code connection} as the one being written to; returns the previous mark for {@link
   * #exit}.
   */
  public static Object enter(Object connection) {
    Object[] slot = CURRENT.get();
    Object previous = slot[0];
    slot[0] = connection;
    return previous;
  }

  public static void exit(Object previous) {
    CURRENT.get()[0] = previous;
  }

  /** The connection marked on this thread, or null outside a marked write. */
  public static Object current() {
    return CURRENT.get()[0];
  }

  /**
   * The request as sent over a connection: over TLS the origin is https plus the peer name the TLS
   * layer verified; otherwise http plus the host name the socket was connected to.
   *
   * @return null when the dialled origin cannot be told (callers fail the request)
   */
  public static OutgoingRequest request(
      String method, SSLSession tls, SocketAddress remote, String pathAndQuery) {
    String scheme;
    String host;
    int port;
    if (tls != null) {
      scheme = "https";
      host = tls.getPeerHost();
      port = tls.getPeerPort();
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
    return new OutgoingRequest(method, scheme, host, port, pathAndQuery);
  }
}
