package dev.alter.service.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare address is a /32 or
 * /128). Parsed without any name lookup; an IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}) is
 * compared as the IPv4 address it carries.
 */
public final class Cidr {
  private final String text;
  private final byte[] network;
  private final int prefix;

  private Cidr(String text, byte[] network, int prefix) {
    this.text = text;
    this.network = network;
    this.prefix = prefix;
  }

  /**
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Cidr parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("is empty; a network is an address or address/prefix");
    }
    String t = text.trim();
    int slash = t.indexOf('/');
    String address = slash < 0 ? t : t.substring(0, slash);
    byte[] bytes = literal(address);
    if (bytes == null) {
      throw new IllegalArgumentException(
          "is not an IPv4 or IPv6 address or network (host names are not accepted)");
    }
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      String p = t.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("has a prefix length that is not a number");
      }
      prefix = Integer.parseInt(p);
      if (prefix > max) {
        throw new IllegalArgumentException("has a prefix length larger than " + max);
      }
    }
    for (int bit = prefix; bit < max; bit++) {
      if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        throw new IllegalArgumentException(
            "has address bits set after its /"
                + prefix
                + " prefix; write the network's first address");
      }
    }
    String canonical;
    try {
      canonical = InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("is not an address");
    }
    return new Cidr(canonical, bytes, prefix);
  }

  /**
   * The raw bytes of an IP literal (4 or 16; IPv4-mapped IPv6 as 4), or null when {@code s} is not
   * one. Only literal characters reach {@link InetAddress}, so no name is ever looked up.
   */
  public static byte[] literal(String s) {
    if (s == null || s.isEmpty() || s.length() > 45) {
      return null;
    }
    boolean v6 = s.indexOf(':') >= 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          c >= '0' && c <= '9'
              || c == '.'
              || v6 && (c == ':' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
      if (!ok) {
        return null;
      }
    }
    if (!v6 && !s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return null;
    }
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Whether the address ({@link InetAddress#getAddress()} bytes) is in this network. */
  public boolean contains(byte[] address) {
    byte[] a = unmapped(address);
    if (a == null || a.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[full] & mask) == (network[full] & mask);
  }

  /** IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) as its 4 IPv4 bytes; anything else unchanged. */
  private static byte[] unmapped(byte[] a) {
    if (a == null || a.length != 16) {
      return a;
    }
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return a;
      }
    }
    if (a[10] != (byte) 0xff || a[11] != (byte) 0xff) {
      return a;
    }
    return new byte[] {a[12], a[13], a[14], a[15]};
  }

  @Override
  public String toString() {
    return text;
  }
}
