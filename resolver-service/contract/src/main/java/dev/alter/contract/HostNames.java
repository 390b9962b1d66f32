package dev.alter.contract;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalises a host for destination comparison (SECURITY.md invariant 5): lower case, one trailing
 * dot dropped, IDNA-encoded (so look-alikes become distinct {@code xn--} names), STD3 rules (so
 * {@code _} and other non-LDH characters are refused), and IP literals kept apart from names. An
 * IPv4 address is accepted only as four decimal numbers: resolvers and URL parsers read {@code
 * 2130706433}, {@code 127.1}, {@code 0x7f.0.0.1} and {@code 0177.0.0.1} as 127.0.0.1, so such a
 * host would reach an address its text does not show; it is refused, not rewritten.
 */
public final class HostNames {
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-f:.]+");
  private static final int MAX_HOST_LENGTH = 253;

  private HostNames() {}

  /** A normalised host: the name, and whether it is an IP literal (IPv6 in brackets). */
  public static final class Host {
    public final String name;
    public final boolean ipLiteral;

    Host(String name, boolean ipLiteral) {
      this.name = name;
      this.ipLiteral = ipLiteral;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * @throws IllegalArgumentException with a reason when the host cannot be a destination
   */
  public static Host normalize(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    String host = raw.toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      return new Host("[" + normalizeIpv6(host.substring(1, host.length() - 1)) + "]", true);
    }
    if (host.indexOf(':') >= 0) {
      return new Host("[" + normalizeIpv6(host) + "]", true);
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (endsInNumber(host)) {
      if (IPV4.matcher(host).matches()) {
        return new Host(host, true);
      }
      throw new IllegalArgumentException(
          "host is a numeric form other than a dotted-quad IPv4 address");
    }
    if (isPlainLdhName(host)) {
      // already what IDNA with STD3 rules would return (the agent checks a host on every hop)
      return new Host(host, false);
    }
    if (IPV4.matcher(host).matches()) {
      return new Host(host, true);
    }
    String ascii;
    try {
      ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("host is not a valid DNS name");
    }
    if (ascii.isEmpty()
        || ascii.length() > MAX_HOST_LENGTH
        || ascii.startsWith(".")
        || ascii.contains("..")) {
      throw new IllegalArgumentException("host is not a valid DNS name");
    }
    if (endsInNumber(ascii)) {
      // e.g. full-width digits, which IDNA maps to an address
      throw new IllegalArgumentException(
          "host is a numeric form other than a dotted-quad IPv4 address");
    }
    return new Host(ascii, false);
  }

  /**
   * True for a lower-case ASCII name that IDNA (STD3 rules) returns unchanged and that cannot be an
   * IPv4 literal: labels of 1 to 63 letters, digits and inner hyphens, at most 253 characters, at
   * least one letter or hyphen. Anything else takes the full path.
   */
  static boolean isPlainLdhName(String host) {
    int length = host.length();
    if (length == 0 || length > MAX_HOST_LENGTH) {
      return false;
    }
    boolean notNumeric = false;
    int labelStart = 0;
    for (int i = 0; i <= length; i++) {
      char c = i == length ? '.' : host.charAt(i);
      if (c == '.') {
        int labelLength = i - labelStart;
        if (labelLength == 0
            || labelLength > 63
            || host.charAt(labelStart) == '-'
            || host.charAt(i - 1) == '-') {
          return false;
        }
        labelStart = i + 1;
      } else if (c >= 'a' && c <= 'z' || c == '-') {
        notNumeric = true;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return notNumeric;
  }

  /**
   * Whether a URL parser would read the host as an IPv4 address (WHATWG URL "ends in a number"):
   * its last label is decimal digits or {@code 0x} and hex digits.
   */
  static boolean endsInNumber(String host) {
    String last = host.substring(host.lastIndexOf('.') + 1);
    if (last.isEmpty()) {
      return false;
    }
    boolean hex = last.startsWith("0x");
    for (int i = hex ? 2 : 0; i < last.length(); i++) {
      char c = last.charAt(i);
      if (!(c >= '0' && c <= '9' || hex && c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static String normalizeIpv6(String literal) {
    if (!IPV6_CHARS.matcher(literal).matches()) {
      throw new IllegalArgumentException("invalid IPv6 literal");
    }
    try {
      // a literal never triggers a DNS lookup
      return InetAddress.getByName("[" + literal + "]").getHostAddress().toLowerCase(Locale.ROOT);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("invalid IPv6 literal");
    }
  }
}
