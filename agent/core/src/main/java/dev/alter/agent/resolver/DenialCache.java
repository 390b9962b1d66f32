package dev.alter.agent.resolver;

import dev.alter.contract.ErrorCode;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's recent refusals, so an application retrying a revoked or unknown grant in a loop
 * fails at once from memory instead of asking the service (and filling its audit log) on every
 * request. A refusal is kept per (grant, identity digest), and per destination origin as well when
 * the refusal is about the destination ({@code host_not_allowed}, {@code insecure_scheme}), for a
 * short time; the service's "no" is authoritative for that long, and a change event clears it
 * sooner ({@link #invalidate}, {@link #invalidateAll}).
 *
 * <p>Only answers the service gave are kept: a transport failure, a timeout or a 5xx is never a
 * refusal, and an unknown code is not cached. Thread-safe.
 */
public final class DenialCache {
  /** Bounded so a flood of distinct identities cannot grow it without limit. */
  private static final int MAX_ENTRIES = 10_000;

  private final long ttlMillis;
  private final ConcurrentHashMap<Key, Denial> denials = new ConcurrentHashMap<>();

  /**
   * @param ttlMillis how long a refusal is answered from memory; 0 turns the cache off
   */
  public DenialCache(long ttlMillis) {
    this.ttlMillis = ttlMillis;
  }

  /** Whether the service's refusal with this code may be answered from memory for a while. */
  public static boolean cacheable(ErrorCode code) {
    switch (code) {
      case GRANT_NOT_FOUND:
      case GRANT_REVOKED:
      case PRINCIPAL_MISMATCH:
      case IDENTITY_INVALID:
      case UNAUTHORIZED_APP:
      case AMBIGUOUS_GRANT:
      case CREDENTIAL_EXPIRED:
      case HOST_NOT_ALLOWED:
      case INSECURE_SCHEME:
        return true;
      default:
        // transport and service failures (resolver_unavailable, store_unavailable, internal_error,
        // master_key_missing) and the agent's own mistakes (signature_rejected: clock skew or a
        // replayed nonce; validation_failed) are worth asking again
        return false;
    }
  }

  /** Refusals about the destination hold only for the destination they were given for. */
  private static boolean aboutTheDestination(ErrorCode code) {
    return code == ErrorCode.HOST_NOT_ALLOWED || code == ErrorCode.INSECURE_SCHEME;
  }

  /** The refusal still in force for this request, or null. */
  ResolveFailure find(CredentialCache.Key key, String origin, long now) {
    if (ttlMillis <= 0 || denials.isEmpty()) {
      return null;
    }
    ResolveFailure failure = live(new Key(key.grant, key.identityDigest, ""), now);
    return failure != null ? failure : live(new Key(key.grant, key.identityDigest, origin), now);
  }

  private ResolveFailure live(Key key, long now) {
    Denial denial = denials.get(key);
    if (denial == null) {
      return null;
    }
    if (now >= denial.until) {
      denials.remove(key, denial);
      return null;
    }
    return denial.failure;
  }

  /** Keeps the service's refusal if its code is cacheable. */
  void remember(CredentialCache.Key key, String origin, ResolveFailure failure, long now) {
    if (ttlMillis <= 0 || !cacheable(failure.code())) {
      return;
    }
    if (denials.size() >= MAX_ENTRIES) {
      evictExpired(now);
      if (denials.size() >= MAX_ENTRIES) {
        denials.clear();
      }
    }
    String scope = aboutTheDestination(failure.code()) ? origin : "";
    denials.put(
        new Key(key.grant, key.identityDigest, scope), new Denial(failure, now + ttlMillis));
  }

  /** A successful answer for this grant and identity ends any refusal kept for them. */
  void forget(CredentialCache.Key key) {
    if (!denials.isEmpty()) {
      denials
          .keySet()
          .removeIf(k -> k.grant.equals(key.grant) && k.identity.equals(key.identityDigest));
    }
  }

  /**
   * Drops every refusal kept for {@code grant} (any identity, any destination), and every refusal
   * of a provider alias ({@code @datadog}): a change to any grant may change which grant an alias
   * names. Called when the service reports a change to the grant.
   */
  public void invalidate(String grant) {
    denials.keySet().removeIf(k -> k.grant.equals(grant) || k.grant.startsWith("@"));
  }

  /** Drops every refusal kept for one identity (its user just stored or deleted a key). */
  public void invalidateIdentity(String identityDigest) {
    denials.keySet().removeIf(k -> k.identity.equals(identityDigest));
  }

  /** Drops every refusal kept (e.g. the change feed was lost and resumed from scratch). */
  public void invalidateAll() {
    denials.clear();
  }

  /** Number of refusals kept (for tests and diagnostics). */
  public int size() {
    return denials.size();
  }

  private void evictExpired(long now) {
    for (Iterator<Map.Entry<Key, Denial>> it = denials.entrySet().iterator(); it.hasNext(); ) {
      if (now >= it.next().getValue().until) {
        it.remove();
      }
    }
  }

  private static final class Denial {
    final ResolveFailure failure;
    final long until;

    Denial(ResolveFailure failure, long until) {
      this.failure = failure;
      this.until = until;
    }
  }

  private static final class Key {
    final String grant;
    final String identity;
    final String origin;

    Key(String grant, String identity, String origin) {
      this.grant = grant;
      this.identity = identity;
      this.origin = origin;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Key)) {
        return false;
      }
      Key k = (Key) o;
      return k.grant.equals(grant) && k.identity.equals(identity) && k.origin.equals(origin);
    }

    @Override
    public int hashCode() {
      return (grant.hashCode() * 31 + identity.hashCode()) * 31 + origin.hashCode();
    }
  }
}
