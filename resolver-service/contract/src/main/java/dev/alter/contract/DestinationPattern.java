package dev.alter.contract;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One allowed destination of a secret: {@code https://host[:port]}, {@code https://*.domain}
 * (exactly one more label), {@code https://**.domain} (one or more labels, for provider families
 * such as AWS whose hosts nest: {@code bucket.s3.eu-west-1.amazonaws.com}), or {@code
 * http://host[:port]} (plain HTTP, which the service accepts only when the operator explicitly
 * allows it). No path, query or userinfo. The default port comes from the scheme.
 */
public final class DestinationPattern {
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
  private final String scheme;
  private final String hostOrSuffix;
  private final Wildcard wildcard;
  private final boolean ipLiteral;
  private final int port;

  enum Wildcard {
    NONE,
    ONE_LABEL,
    ANY_DEPTH
  }

  private DestinationPattern(
      String scheme, String hostOrSuffix, Wildcard wildcard, boolean ipLiteral, int port) {
    this.scheme = scheme;
    this.hostOrSuffix = hostOrSuffix;
    this.wildcard = wildcard;
    this.ipLiteral = ipLiteral;
    this.port = port;
  }

  /**
   * @throws IllegalArgumentException naming what is wrong with the pattern
   */
  public static DestinationPattern parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 300) {
      throw new IllegalArgumentException("destination must be 1 to 300 characters");
    }
    int sep = text.indexOf("://");
    if (sep < 0) {
      throw new IllegalArgumentException("destination must start with https:// or http://");
    }
    String scheme = text.substring(0, sep).toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException("destination scheme must be https or http");
    }
    String authority = text.substring(sep + 3);
    if (authority.endsWith("/")) {
      authority = authority.substring(0, authority.length() - 1);
    }
    if (authority.isEmpty()
        || authority.contains("/")
        || authority.contains("@")
        || authority.contains("?")
        || authority.contains("#")) {
      throw new IllegalArgumentException(
          "destination must be scheme://host[:port] with no path, query or userinfo");
    }
    String hostPart = authority;
    int port = scheme.equals("https") ? 443 : 80;
    int colon = authority.lastIndexOf(':');
    if (colon > authority.lastIndexOf(']')) {
      hostPart = authority.substring(0, colon);
      port = parsePort(authority.substring(colon + 1));
    }
    Wildcard wildcard = Wildcard.NONE;
    if (hostPart.startsWith("**.")) {
      wildcard = Wildcard.ANY_DEPTH;
      hostPart = hostPart.substring(3);
    } else if (hostPart.startsWith("*.")) {
      wildcard = Wildcard.ONE_LABEL;
      hostPart = hostPart.substring(2);
    }
    if (hostPart.contains("*")) {
      throw new IllegalArgumentException(
          "a wildcard may only be the first label (*.domain or **.domain)");
    }
    HostNames.Host host = HostNames.normalize(hostPart);
    if (wildcard != Wildcard.NONE) {
      if (host.ipLiteral) {
        throw new IllegalArgumentException("a wildcard cannot be combined with an IP address");
      }
      if (host.name.indexOf('.') < 0) {
        throw new IllegalArgumentException("a wildcard needs a domain of at least two labels");
      }
    }
    return new DestinationPattern(scheme, host.name, wildcard, host.ipLiteral, port);
  }

  /** Decimal digits only: {@code Integer.parseInt} would also take {@code +443}. */
  private static int parsePort(String text) {
    if (!PORT.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "destination port must be 1-65535, in decimal digits only");
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "destination port must be 1-65535, in decimal digits only");
    }
    return port;
  }

  /**
   * The domain a wildcard pattern's hosts end in ({@code example.com} for {@code *.example.com}),
   * or null for a single host.
   */
  public String wildcardDomain() {
    return wildcard == Wildcard.NONE ? null : hostOrSuffix;
  }

  /** True when this pattern names the (already normalised) host and port, whatever the scheme. */
  boolean matchesHostAndPort(HostNames.Host host, int requestPort) {
    if (requestPort != port || host.ipLiteral != ipLiteral) {
      return false;
    }
    switch (wildcard) {
      case NONE:
        return host.name.equals(hostOrSuffix);
      case ONE_LABEL:
        {
          String suffix = "." + hostOrSuffix;
          if (!host.name.endsWith(suffix)) {
            return false;
          }
          String label = host.name.substring(0, host.name.length() - suffix.length());
          return !label.isEmpty() && label.indexOf('.') < 0;
        }
      default:
        return host.name.endsWith("." + hostOrSuffix)
            && host.name.length() > hostOrSuffix.length() + 1;
    }
  }

  /** Host name ignoring port (for telling "wrong scheme" from "wrong host"). */
  boolean matchesHost(HostNames.Host host) {
    return matchesHostAndPort(host, port);
  }

  public String scheme() {
    return scheme;
  }

  public boolean isPlainHttp() {
    return scheme.equals("http");
  }

  public int port() {
    return port;
  }

  /** Canonical text form: lower case, IDNA, explicit port only when not the scheme default. */
  @Override
  public String toString() {
    String prefix =
        wildcard == Wildcard.ANY_DEPTH ? "**." : wildcard == Wildcard.ONE_LABEL ? "*." : "";
    boolean defaultPort =
        (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
    return scheme + "://" + prefix + hostOrSuffix + (defaultPort ? "" : ":" + port);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DestinationPattern && o.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
