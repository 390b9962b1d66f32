package dev.alter.contract;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a credential may go to a request's origin (SECURITY.md invariant 5). The service
 * applies it at resolve time and the agent again on every hop, on the host actually dialled.
 */
public final class DestinationPolicy {
  private final List<DestinationPattern> patterns;

  /**
   * The last (scheme, host, port) exactly as asked that was allowed. The agent checks every hop of
   * every tagged request, almost always against the same origin; the answer depends only on those
   * three values and the immutable patterns, so a repeat of the very same question is answered
   * without normalising the host again. Denials are never remembered.
   */
  private volatile AllowedOrigin lastAllowed;

  private DestinationPolicy(List<DestinationPattern> patterns) {
    this.patterns = Collections.unmodifiableList(patterns);
  }

  /**
   * @throws IllegalArgumentException if any pattern is invalid
   */
  public static DestinationPolicy of(List<String> patterns) {
    List<DestinationPattern> parsed = new ArrayList<>();
    for (String p : patterns) {
      parsed.add(DestinationPattern.parse(p));
    }
    return new DestinationPolicy(parsed);
  }

  public List<DestinationPattern> patterns() {
    return patterns;
  }

  /** Outcome of a check: allowed, or the error code and a reason safe to show. */
  public static final class Decision {
    private static final Decision ALLOWED = new Decision(null, null);
    public final ErrorCode error;
    public final String reason;

    private Decision(ErrorCode error, String reason) {
      this.error = error;
      this.reason = reason;
    }

    public boolean allowed() {
      return error == null;
    }

    static Decision deny(ErrorCode error, String reason) {
      return new Decision(error, reason);
    }
  }

  /**
   * @param port the port actually dialled, or -1 for the scheme's default
   */
  public Decision check(String scheme, String rawHost, int port) {
    AllowedOrigin last = lastAllowed;
    if (last != null && last.is(scheme, rawHost, port)) {
      return Decision.ALLOWED;
    }
    Decision decision = decide(scheme, rawHost, port);
    if (decision.allowed()) {
      lastAllowed = new AllowedOrigin(scheme, rawHost, port);
    }
    return decision;
  }

  private static final class AllowedOrigin {
    final String scheme;
    final String rawHost;
    final int port;

    AllowedOrigin(String scheme, String rawHost, int port) {
      this.scheme = scheme;
      this.rawHost = rawHost;
      this.port = port;
    }

    boolean is(String otherScheme, String otherHost, int otherPort) {
      return port == otherPort && rawHost.equals(otherHost) && scheme.equals(otherScheme);
    }
  }

  private Decision decide(String scheme, String rawHost, int port) {
    String s = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
    if (!s.equals("https") && !s.equals("http")) {
      return Decision.deny(ErrorCode.INSECURE_SCHEME, "scheme '" + scheme + "' is not https");
    }
    HostNames.Host host;
    try {
      host = HostNames.normalize(rawHost);
    } catch (IllegalArgumentException e) {
      return Decision.deny(ErrorCode.HOST_NOT_ALLOWED, "host is not allowed: " + e.getMessage());
    }
    int effectivePort = port > 0 ? port : (s.equals("https") ? 443 : 80);
    boolean hostKnown = false;
    boolean hostAllowedOverHttp = false;
    for (DestinationPattern p : patterns) {
      if (p.matchesHostAndPort(host, effectivePort) && p.scheme().equals(s)) {
        return Decision.ALLOWED;
      }
      if (p.matchesHost(host)) {
        hostKnown = true;
        hostAllowedOverHttp |= p.scheme().equals("http");
      }
    }
    // insecure_scheme only when plain http is what is wrong; an http destination on another
    // port is a wrong destination
    if (s.equals("http") && hostKnown && !hostAllowedOverHttp) {
      return Decision.deny(
          ErrorCode.INSECURE_SCHEME,
          "plain http to " + host + " is not allowed; the secret allows only https there");
    }
    return Decision.deny(
        ErrorCode.HOST_NOT_ALLOWED,
        s + "://" + host + ":" + effectivePort + " is not an allowed destination of this secret");
  }

  /** Checks an absolute URL; userinfo is ignored for matching because it is never the host. */
  public Decision checkUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      return Decision.deny(
          ErrorCode.HOST_NOT_ALLOWED, "destination url is not a valid absolute URL");
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      return Decision.deny(
          ErrorCode.HOST_NOT_ALLOWED,
          "destination url must be absolute with a DNS host name or IP literal");
    }
    return check(uri.getScheme(), uri.getHost(), uri.getPort());
  }
}
