package dev.alter.agent.injection.aws;

import dev.alter.agent.bootstrap.OutgoingRequest;
import java.util.Locale;

/**
 * The Host value the client puts on the wire, which SigV4 signs: the request's own Host header when
 * the client wrote one (clients add {@code :port} for non-default ports), else host[:port] without
 * the scheme's default port (HTTP/2 {@code :authority}).
 */
final class HostHeader {
  private HostHeader() {}

  static String of(OutgoingRequest request) {
    String host = request.firstHeader("host");
    if (host != null && !host.trim().isEmpty()) {
      return host.trim();
    }
    String name = request.host();
    if (name.indexOf(':') >= 0 && !name.startsWith("[")) {
      name = "[" + name + "]";
    }
    String scheme = request.scheme() == null ? "" : request.scheme().toLowerCase(Locale.ROOT);
    int port = request.port();
    boolean defaultPort =
        port <= 0
            || ("https".equals(scheme) && port == 443)
            || ("http".equals(scheme) && port == 80);
    return defaultPort ? name : name + ":" + port;
  }
}
