package dev.alter.agent.resolver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolved credentials by (grant, SHA-256 of the identity token, scope hint). The token itself is
 * never a key: only its digest is kept, so the cache holds no identity tokens. The scope hint
 * ({@code region/service} of an AWS endpoint host, empty elsewhere) keeps the keys derived for two
 * AWS services under one grant apart.
 *
 * @param <P> what the injection layer prepared from each answer ({@link AnswerPreparer})
 */
final class CredentialCache<P> {
  private final ConcurrentHashMap<Key, Entry<P>> entries = new ConcurrentHashMap<>();

  /**
   * The digest of the identity seen last: a JVM sends the same identity (its agent token, or a
   * workload's token) on request after request, and hashing it each time was a measurable share of
   * a cached request. Compared by value, so a different token never reuses a digest. The token
   * stays in memory only as long as the application's own copy does in practice; it is never
   * logged, printed or used as a map key.
   */
  private static volatile IdentityDigest lastIdentity;

  Entry<P> get(Key key) {
    return entries.get(key);
  }

  void put(Key key, Entry<P> entry) {
    entries.put(key, entry);
  }

  void remove(Key key) {
    entries.remove(key);
  }

  /** Removes the entry only if it is still this one (a concurrent resolve may have replaced it). */
  void remove(Key key, Entry<P> entry) {
    entries.remove(key, entry);
  }

  /** The digest keys carry for an identity token (never the token itself). */
  static String identityDigest(String identity) {
    return digestOf(identity);
  }

  /** Drops every entry resolved for this identity token (any grant, any scope). */
  void removeIdentity(String identity) {
    String digest = identityDigest(identity);
    entries.keySet().removeIf(key -> key.identityDigest.equals(digest));
  }

  /** Removes every entry the predicate selects (a change event made them wrong). */
  int removeIf(java.util.function.BiPredicate<Key, Entry<P>> wrong) {
    int removed = 0;
    for (java.util.Map.Entry<Key, Entry<P>> e : entries.entrySet()) {
      if (wrong.test(e.getKey(), e.getValue()) && entries.remove(e.getKey(), e.getValue())) {
        removed++;
      }
    }
    return removed;
  }

  /** Every entry, for marking. */
  Iterable<java.util.Map.Entry<Key, Entry<P>>> all() {
    return entries.entrySet();
  }

  void clear() {
    entries.clear();
  }

  int size() {
    return entries.size();
  }

  static Key key(String grant, String identity) {
    return key(grant, identity, null);
  }

  /**
   * @param scopeHint {@code region/service} for AWS endpoint hosts, null elsewhere
   */
  static Key key(String grant, String identity, String scopeHint) {
    Key key =
        new Key(
            grant, identity == null ? "" : digestOf(identity), scopeHint == null ? "" : scopeHint);
    key.jwtBound =
        identity != null && !identity.startsWith(dev.alter.contract.WireFormat.AGENT_TOKEN_PREFIX);
    return key;
  }

  private static String digestOf(String identity) {
    IdentityDigest last = lastIdentity;
    if (last != null && last.identity.equals(identity)) {
      return last.digest;
    }
    String digest = sha256Hex(identity);
    lastIdentity = new IdentityDigest(identity, digest);
    return digest;
  }

  private static final class IdentityDigest {
    final String identity;
    final String digest;

    IdentityDigest(String identity, String digest) {
      this.identity = identity;
      this.digest = digest;
    }

    /** Never shows the identity: it is a token. */
    @Override
    public String toString() {
      return "IdentityDigest{[redacted]}";
    }
  }

  private static String sha256Hex(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
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
    final String scopeHint;

    /**
     * Resolved for a JWT: the service capped the TTL at the token's {@code exp}, so the entry is
     * never served stale (that would outlive the token). Not part of equality: it follows from the
     * identity.
     */
    boolean jwtBound;

    /** Computed once: a key is built and looked up on every tagged request. */
    private final int hash;

    Key(String grant, String identityDigest, String scopeHint) {
      this.grant = grant;
      this.identityDigest = identityDigest;
      this.scopeHint = scopeHint;
      this.hash = (grant.hashCode() * 31 + identityDigest.hashCode()) * 31 + scopeHint.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Key)) {
        return false;
      }
      Key k = (Key) o;
      return k.grant.equals(grant)
          && k.identityDigest.equals(identityDigest)
          && k.scopeHint.equals(scopeHint);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return scopeHint.isEmpty() ? grant : grant + " (" + scopeHint + ")";
    }
  }

  /** An answer, its prepared form and the times (epoch millis) that govern its use. */
  static final class Entry<P> {
    final PreparedAnswer<P> answer;
    final long fetchedAt;

    /** From here on a request triggers one background refresh. */
    final long refreshAt;

    /**
     * A change event said a newer version exists: the next request refreshes in the background (and
     * is still answered with this one meanwhile).
     */
    volatile boolean refreshDue;

    /** From here on the credential is stale: used only while the service is unreachable. */
    final long expiresAt;

    Entry(PreparedAnswer<P> answer, long fetchedAt) {
      this.answer = answer;
      this.fetchedAt = fetchedAt;
      long ttlMillis = Math.max(0, answer.credential().ttlSeconds()) * 1000L;
      this.expiresAt = fetchedAt + ttlMillis;
      // refresh in the last quarter of the TTL so a busy grant never reaches expiry
      this.refreshAt = fetchedAt + ttlMillis * 3 / 4;
    }

    /**
     * Whether the credential may be used at all at {@code now}: a derived AWS key only on its UTC
     * day and within its session, whatever the TTL says ({@link ResolvedCredential#unusableAt}).
     */
    boolean usableAt(long now) {
      return answer.credential().usableAt(now);
    }

    /**
     * Usable, within the TTL and not yet due for a refresh: answered without asking the resolver.
     */
    boolean freshAt(long now) {
      return now < refreshAt && !refreshDue && now < expiresAt && usableAt(now);
    }
  }
}
