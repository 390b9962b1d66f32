package dev.alter.agent.resolver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolved credentials by (grant, SHA-256 of the identity token). The token itself is never a
 * key: only its digest is kept, so the cache holds no identity tokens.
 */
final class CredentialCache {
  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

  Entry get(Key key) {
    return entries.get(key);
  }

  void put(Key key, Entry entry) {
    entries.put(key, entry);
  }

  void remove(Key key) {
    entries.remove(key);
  }

  int size() {
    return entries.size();
  }

  static Key key(String grant, String identity) {
    Key key = new Key(grant, identity == null ? "" : sha256Hex(identity));
    key.jwtBound = identity != null && !identity.startsWith(dev.alter.contract.WireFormat.AGENT_TOKEN_PREFIX);
    return key;
  }

  private static String sha256Hex(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(digest.length * 2);
      for (byte b : digest) {
        sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  static final class Key {
    final String grant;
    final String identityDigest;
    /**
     * Resolved for a JWT: the service capped the TTL at the token's {@code exp}, so the entry is
     * never served stale (that would outlive the token). Not part of equality: it follows from the
     * identity.
     */
    boolean jwtBound;

    Key(String grant, String identityDigest) {
      this.grant = grant;
      this.identityDigest = identityDigest;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && ((Key) o).grant.equals(grant) && ((Key) o).identityDigest.equals(identityDigest);
    }

    @Override
    public int hashCode() {
      return Objects.hash(grant, identityDigest);
    }

    @Override
    public String toString() {
      return grant;
    }
  }

  /** A credential and the times (epoch millis) that govern its use. */
  static final class Entry {
    final ResolvedCredential credential;
    final long fetchedAt;
    /** From here on a request triggers one background refresh. */
    final long refreshAt;
    /** From here on the credential is stale: used only while the service is unreachable. */
    final long expiresAt;

    Entry(ResolvedCredential credential, long fetchedAt) {
      this.credential = credential;
      this.fetchedAt = fetchedAt;
      long ttlMillis = Math.max(0, credential.ttlSeconds()) * 1000L;
      this.expiresAt = fetchedAt + ttlMillis;
      // refresh in the last quarter of the TTL so a busy grant never reaches expiry
      this.refreshAt = fetchedAt + ttlMillis * 3 / 4;
    }
  }
}
