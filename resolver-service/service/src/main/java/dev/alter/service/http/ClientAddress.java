package dev.alter.service.http;

import dev.alter.service.policy.Cidr;
import java.util.List;

/**
 * The address of the agent that resolves, as grant policies' {@code networks} see it: the
 * connection's peer, unless that peer is a configured trusted proxy ({@code
 * ALTER_TRUSTED_PROXIES}); then the right-most {@code X-Forwarded-For} entry that is not itself a
 * trusted proxy. Without the setting the header is ignored, so a client can never choose its own
 * address.
 */
final class ClientAddress {
  private final List<Cidr> trustedProxies;

  ClientAddress(List<String> trustedProxies) {
    this.trustedProxies = trustedProxies.stream().map(Cidr::parse).toList();
  }

  /**
   * @return the client's address bytes, or null when it cannot be told (a malformed forwarded entry
   *     from a trusted proxy: the network rules then refuse, failing closed)
   */
  byte[] of(String peer, List<String> forwardedFor) {
    byte[] address = Cidr.literal(stripBrackets(peer));
    if (address == null || !trusted(address) || forwardedFor.isEmpty()) {
      return address;
    }
    List<String> hops = new java.util.ArrayList<>();
    for (String header : forwardedFor) {
      for (String hop : header.split(",")) {
        hops.add(hop.trim());
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      byte[] hop = Cidr.literal(stripBrackets(hops.get(i)));
      if (hop == null) {
        return null;
      }
      if (!trusted(hop) || i == 0) {
        return hop;
      }
    }
    return address;
  }

  private boolean trusted(byte[] address) {
    for (Cidr proxy : trustedProxies) {
      if (proxy.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private static String stripBrackets(String s) {
    if (s != null && s.startsWith("[") && s.endsWith("]")) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}
