package dev.alter.agent.resolver;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.contract.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The in-process resolver: answers from {@link CredentialCache} while the service's TTL allows,
 * shares one resolve among all requests waiting for the same grant and identity (single-flight),
 * refreshes ahead of expiry in the background, serves a stale credential for up to the maximum
 * staleness while the service is unreachable, and otherwise fails closed. An application thread
 * never waits longer than the resolve timeout.
 *
 * <p>Each answer entering the cache is prepared once by the {@link AnswerPreparer} the injection
 * layer supplied, and the prepared form is cached beside it: it never outlives the answer.
 *
 * @param <P> what the injection layer prepares from each answer
 */
public final class GrantResolver<P> implements ChangeListener {
  private static final Logger LOG = Logger.getLogger("dev.alter.agent");

  private final ResolverBackend backend;
  private final Clock clock;
  private final long timeoutMillis;
  private final long maxStalenessMillis;
  private final AnswerPreparer<P> preparer;
  private final CredentialCache<P> cache = new CredentialCache<>();
  private final DenialCache denials;

  /**
   * Incremented by every change event that drops entries: a resolve that started before it does not
   * put its (possibly revoked) answer into the cache.
   */
  private final java.util.concurrent.atomic.AtomicLong invalidations =
      new java.util.concurrent.atomic.AtomicLong();

  /** The newest version each secret is known to have (from rotation events). */
  private final ConcurrentHashMap<String, Long> rotatedTo = new ConcurrentHashMap<>();

  /**
   * When the change feed last proved itself alive (epoch millis; 0: never): stale serving counts
   * from then, since nothing was revoked up to that moment.
   */
  private volatile java.util.function.LongSupplier lastHeartbeat = () -> 0L;

  /**
   * In-flight resolves by cache key and destination origin (the service checks the destination).
   */
  private final ConcurrentHashMap<String, CompletableFuture<PreparedAnswer<P>>> inFlight =
      new ConcurrentHashMap<>();

  /**
   * @param preparer run once per answer as it enters the cache, on the thread that completes the
   *     resolve
   */
  public GrantResolver(
      ResolverBackend backend,
      Clock clock,
      Duration timeout,
      Duration maxStaleness,
      AnswerPreparer<P> preparer) {
    this(backend, clock, timeout, maxStaleness, Duration.ZERO, preparer);
  }

  /**
   * @param denialTtl how long the service's refusal of a grant is answered from memory ({@link
   *     DenialCache}); zero asks the service every time
   */
  public GrantResolver(
      ResolverBackend backend,
      Clock clock,
      Duration timeout,
      Duration maxStaleness,
      Duration denialTtl,
      AnswerPreparer<P> preparer) {
    this.denials = new DenialCache(denialTtl.toMillis());
    this.backend = backend;
    this.clock = clock;
    this.timeoutMillis = timeout.toMillis();
    this.maxStalenessMillis = maxStaleness.toMillis();
    this.preparer = preparer;
  }

  public PreparedAnswer<P> resolve(GrantRequest request) throws AlterCredentialException {
    CredentialCache.Key key =
        CredentialCache.key(request.grant, request.identity, request.scopeHint);
    long now = clock.millis();
    CredentialCache.Entry<P> entry = cache.get(key);
    if (entry != null && !entry.usableAt(now)) {
      // a derived AWS key of another day or an expired session: never sign with it, not even
      // stale; only a fresh answer will do
      cache.remove(key, entry);
      return resolveFresh(key, request, now);
    }
    if (entry != null && now < entry.expiresAt) {
      if (now >= entry.refreshAt || entry.refreshDue) {
        refreshInBackground(key, request, now);
      }
      return entry.answer;
    }

    ResolveFailure denied = denials.find(key, request.origin(), now);
    if (denied != null) {
      // the service said no moments ago: the same no, without asking again
      throw denied.toException();
    }
    String grant = request.grant;
    CompletableFuture<PreparedAnswer<P>> resolve = startOrJoin(key, request, now);
    PreparedAnswer<P> answer;
    try {
      answer = resolve.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return staleOrFail(
          key,
          entry,
          new ResolveFailure(
              ErrorCode.RESOLVER_UNAVAILABLE,
              grant,
              "the resolver did not answer within " + timeoutMillis + " ms"));
    } catch (ExecutionException e) {
      ResolveFailure failure = asFailure(e.getCause(), grant);
      if (failure.serviceUnavailable()) {
        return staleOrFail(key, entry, failure);
      }
      throw failure.toException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ResolveFailure(ErrorCode.RESOLVER_UNAVAILABLE, grant, "interrupted while resolving")
          .toException();
    }
    return requireUsable(grant, answer);
  }

  /** Starts the resolves of {@link #resolveWithoutBlocking}; its threads end when idle. */
  private static final java.util.concurrent.Executor RESOLVE_STARTER =
      new java.util.concurrent.ThreadPoolExecutor(
          0,
          2,
          30,
          TimeUnit.SECONDS,
          new java.util.concurrent.LinkedBlockingQueue<>(),
          command -> {
            Thread thread = new Thread(command, "alter-resolve-start");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * {@link #resolve} for a caller that must not wait (an event loop): the same cache,
   * single-flight, refresh-ahead, staleness and timeout rules, but the answer comes as a future,
   * already complete when the cache answers and otherwise completed by the thread that ends the
   * resolve (or by the timeout). It completes exceptionally with {@link AlterCredentialException}
   * only.
   */
  public CompletableFuture<PreparedAnswer<P>> resolveWithoutBlocking(GrantRequest request) {
    CredentialCache.Key key =
        CredentialCache.key(request.grant, request.identity, request.scopeHint);
    long now = clock.millis();
    CredentialCache.Entry<P> entry = cache.get(key);
    boolean mustBeFresh = entry != null && !entry.usableAt(now);
    if (mustBeFresh) {
      cache.remove(key, entry);
    } else if (entry != null && now < entry.expiresAt) {
      if (now >= entry.refreshAt) {
        refreshInBackground(key, request, now);
      }
      return CompletableFuture.completedFuture(entry.answer);
    }
    CredentialCache.Entry<P> seen = mustBeFresh ? null : entry;
    CompletableFuture<PreparedAnswer<P>> answer = new CompletableFuture<>();
    // even starting a resolve (signing it, a first TLS set-up to the service) is left to a thread
    // of the agent's: the caller's thread only looks at the cache
    CompletableFuture.supplyAsync(() -> startOrJoin(key, request, now), RESOLVE_STARTER)
        .thenCompose(flight -> flight)
        .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .whenComplete(
            (resolved, error) -> {
              try {
                answer.complete(settle(key, seen, mustBeFresh, request.grant, resolved, error));
              } catch (AlterCredentialException e) {
                answer.completeExceptionally(e);
              } catch (RuntimeException e) {
                answer.completeExceptionally(asFailure(e, request.grant).toException());
              }
            });
    return answer;
  }

  private PreparedAnswer<P> settle(
      CredentialCache.Key key,
      CredentialCache.Entry<P> seen,
      boolean mustBeFresh,
      String grant,
      PreparedAnswer<P> resolved,
      Throwable error)
      throws AlterCredentialException {
    if (error == null) {
      return requireUsable(grant, resolved);
    }
    Throwable cause = error;
    while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    ResolveFailure failure =
        cause instanceof TimeoutException
            ? new ResolveFailure(
                ErrorCode.RESOLVER_UNAVAILABLE,
                grant,
                "the resolver did not answer within " + timeoutMillis + " ms")
            : asFailure(cause, grant);
    if (!mustBeFresh && failure.serviceUnavailable()) {
      return staleOrFail(key, seen, failure);
    }
    throw failure.toException();
  }

  /**
   * The hot path of a warm cache: the cached credential for this grant, identity and scope when it
   * is within its TTL, usable now and not yet due for a refresh; otherwise null, and the caller
   * goes through {@link #resolve}.
   */
  public PreparedAnswer<P> cachedFresh(GrantRequest request) {
    CredentialCache.Entry<P> entry =
        cache.get(CredentialCache.key(request.grant, request.identity, request.scopeHint));
    return entry != null && entry.freshAt(clock.millis()) ? entry.answer : null;
  }

  /**
   * The refusals answered from memory; the change feed clears a grant's with {@link
   * DenialCache#invalidate} when the grant changes.
   */
  public DenialCache denials() {
    return denials;
  }

  /**
   * Forgets what was resolved or refused for this identity token, so the next request resolves
   * afresh: called after the user's own key was stored, rotated or deleted through this agent.
   */
  public void forgetIdentity(String identity) {
    cache.removeIdentity(identity);
    denials.invalidateIdentity(CredentialCache.identityDigest(identity));
  }

  /** The change feed's last heartbeat (epoch millis, 0 when never connected). */
  public void lastHeartbeat(java.util.function.LongSupplier source) {
    this.lastHeartbeat = source;
  }

  /**
   * Applies a change event: revoked, expired or deleted entries (and everything the app key or an
   * identity no longer vouches for) are removed before the next request can use them; rotated ones
   * are refreshed in the background on their next use. Refusals kept for the grant (or, for a
   * change to a secret, a key or an identity provider, every refusal) are forgotten too.
   */
  @Override
  public void changed(ChangeEvent e) {
    int dropped = 0;
    switch (e.kind) {
      case GRANT_REVOKED:
      case GRANT_EXPIRED:
      case GRANT_UPDATED:
        invalidations.incrementAndGet();
        dropped = cache.removeIf((k, v) -> e.grantId != null && e.grantId.equals(grantOf(v)));
        break;
      case GRANT_CREATED:
        // an @provider lookup may now pick another grant, or find two
        invalidations.incrementAndGet();
        dropped = cache.removeIf((k, v) -> k.grant.startsWith("@"));
        break;
      case SECRET_DELETED:
      case SECRET_UPDATED:
        invalidations.incrementAndGet();
        dropped = cache.removeIf((k, v) -> e.secretId != null && e.secretId.equals(secretOf(v)));
        break;
      case SECRET_ROTATED:
        if (e.secretId != null && e.version != null) {
          rotatedTo.merge(e.secretId, e.version, Math::max);
          for (java.util.Map.Entry<CredentialCache.Key, CredentialCache.Entry<P>> entry :
              cache.all()) {
            CredentialCache.Entry<P> v = entry.getValue();
            if (e.secretId.equals(secretOf(v)) && v.answer.credential().version() < e.version) {
              v.refreshDue = true;
            }
          }
        }
        break;
      case APP_KEY_REVOKED:
        invalidations.incrementAndGet();
        dropped = cache.size();
        cache.clear();
        break;
      case AGENT_TOKEN_REVOKED:
        invalidations.incrementAndGet();
        dropped = cache.removeIf((k, v) -> !k.identityDigest.isEmpty() && !k.jwtBound);
        break;
      case IDP_CHANGED:
        invalidations.incrementAndGet();
        dropped = cache.removeIf((k, v) -> k.jwtBound);
        break;
      default:
        break;
    }
    if (e.kind != dev.alter.contract.ChangeKind.SECRET_ROTATED) {
      // requests from now on start their own resolve instead of joining one from before the change
      inFlight.clear();
    }
    if (dropped > 0) {
      LOG.log(
          Level.FINE, "change {0}: dropped {1} cached credential(s)", new Object[] {e, dropped});
    }
    if (e.grantId != null) {
      denials.invalidate(e.grantId);
    } else if (e.kind != dev.alter.contract.ChangeKind.SECRET_ROTATED) {
      denials.invalidateAll(); // rare: a secret's destinations, a key or an IdP changed
    }
  }

  @Override
  public void lostTrack() {
    invalidations.incrementAndGet();
    inFlight.clear();
    cache.clear();
    denials.invalidateAll();
    LOG.log(Level.FINE, "change feed lost track of changes: dropped every cached credential");
  }

  private static String grantOf(CredentialCache.Entry<?> v) {
    return v.answer.credential().grantId();
  }

  private static String secretOf(CredentialCache.Entry<?> v) {
    return v.answer.credential().secretId();
  }

  /** The clock the cache and the signing date follow (signers take their time from it too). */
  public Clock clock() {
    return clock;
  }

  /** Waits for a new answer; no cached or stale credential may stand in for it. */
  private PreparedAnswer<P> resolveFresh(CredentialCache.Key key, GrantRequest request, long now)
      throws AlterCredentialException {
    String grant = request.grant;
    CompletableFuture<PreparedAnswer<P>> resolve = startOrJoin(key, request, now);
    PreparedAnswer<P> answer;
    try {
      answer = resolve.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ResolveFailure(
              ErrorCode.RESOLVER_UNAVAILABLE,
              grant,
              "the resolver did not answer within "
                  + timeoutMillis
                  + " ms, and the cached AWS signing key is no longer "
                  + "valid (new UTC day or expired session)")
          .toException();
    } catch (ExecutionException e) {
      throw asFailure(e.getCause(), grant).toException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ResolveFailure(ErrorCode.RESOLVER_UNAVAILABLE, grant, "interrupted while resolving")
          .toException();
    }
    return requireUsable(grant, answer);
  }

  /** A fresh answer that still cannot sign today (clock skew, expired session) fails closed. */
  private PreparedAnswer<P> requireUsable(String grant, PreparedAnswer<P> answer)
      throws AlterCredentialException {
    ResolveFailure unusable = answer.credential().unusableAt(grant, clock.millis());
    if (unusable != null) {
      throw unusable.toException();
    }
    return answer;
  }

  /** Number of cached grant/identity pairs (for tests and diagnostics). */
  int cachedCount() {
    return cache.size();
  }

  private PreparedAnswer<P> staleOrFail(
      CredentialCache.Key key, CredentialCache.Entry<P> seen, ResolveFailure failure)
      throws AlterCredentialException {
    // a concurrent resolve may have refreshed the entry meanwhile
    CredentialCache.Entry<P> entry = cache.get(key);
    if (entry == null) {
      entry = seen;
    }
    long now = clock.millis();
    if (entry != null && !entry.usableAt(now)) {
      // never serve a derived AWS key of another day or an expired session, however fresh
      throw failure.toException();
    }
    if (entry != null && now < entry.expiresAt) {
      return entry.answer;
    }
    // the feed's heartbeat vouches that nothing was revoked up to then
    long validUntil = Math.max(entry == null ? 0 : entry.expiresAt, lastHeartbeat.getAsLong());
    if (entry != null && !key.jwtBound && now < validUntil + maxStalenessMillis) {
      LOG.log(
          Level.FINE,
          "serving a stale credential for grant {0} ({1} s past its TTL): {2}",
          new Object[] {key.grant, (now - entry.expiresAt) / 1000, failure.getMessage()});
      return entry.answer;
    }
    if (entry != null && key.jwtBound) {
      // resolved for a JWT: its TTL already ended at the token's exp at the latest
      throw failure.toException();
    }
    if (entry != null) {
      throw new ResolveFailure(
              failure.code(),
              key.grant,
              "the cached credential is older than the allowed "
                  + maxStalenessMillis / 1000
                  + " s of staleness and "
                  + failure.getMessage())
          .toException();
    }
    throw failure.toException();
  }

  private void refreshInBackground(CredentialCache.Key key, GrantRequest request, long now) {
    // joins a running resolve instead of starting a second one; nobody waits for the result
    startOrJoin(key, request, now);
  }

  private CompletableFuture<PreparedAnswer<P>> startOrJoin(
      CredentialCache.Key key, GrantRequest request, long now) {
    // the signing date is part of the flight: a resolve started before midnight is not joined after
    // it
    String signingDate = SigningDate.ofMillis(now);
    String flightKey =
        key.grant
            + '\n'
            + key.identityDigest
            + '\n'
            + key.scopeHint
            + '\n'
            + signingDate
            + '\n'
            + request.origin().toLowerCase(Locale.ROOT);
    CompletableFuture<PreparedAnswer<P>> existing = inFlight.get(flightKey);
    if (existing != null) {
      return existing;
    }
    CompletableFuture<PreparedAnswer<P>> mine = new CompletableFuture<>();
    existing = inFlight.putIfAbsent(flightKey, mine);
    if (existing != null) {
      return existing;
    }
    long invalidationsAtStart = invalidations.get();
    CompletableFuture<ResolvedCredential> call;
    try {
      call =
          backend.resolve(
              request.grant, request.identity, request.method(), request.url(), signingDate);
    } catch (RuntimeException e) {
      call = new CompletableFuture<>();
      call.completeExceptionally(e);
    }
    call.whenComplete(
        (credential, error) -> {
          PreparedAnswer<P> answer = null;
          if (error == null) {
            answer = new PreparedAnswer<>(credential, prepare(credential));
            denials.forget(key);
            if (invalidations.get() == invalidationsAtStart) {
              CredentialCache.Entry<P> fresh = new CredentialCache.Entry<>(answer, clock.millis());
              Long newest =
                  credential.secretId() == null ? null : rotatedTo.get(credential.secretId());
              if (newest != null && credential.version() < newest) {
                fresh.refreshDue = true;
              }
              cache.put(key, fresh);
            }
          } else {
            ResolveFailure failure = asFailure(error, request.grant);
            if (failure.invalidatesGrant()) {
              cache.remove(key);
            }
            if (invalidations.get() == invalidationsAtStart) {
              // a refusal from before a change event may no longer hold
              denials.remember(key, request.origin(), failure, clock.millis());
            }
            LOG.log(
                Level.FINE,
                "resolve of grant {0} failed: {1}",
                new Object[] {request.grant, failure.getMessage()});
          }
          inFlight.remove(flightKey, mine);
          if (error == null) {
            mine.complete(answer);
          } else {
            mine.completeExceptionally(error);
          }
        });
    return mine;
  }

  /**
   * The preparer's form of {@code credential}, or null when it throws: the request then builds its
   * own and fails with the injection layer's error, so nothing failed is kept as prepared.
   */
  private P prepare(ResolvedCredential credential) {
    try {
      return preparer.prepare(credential);
    } catch (RuntimeException e) {
      // the message may quote the answer: only the type is logged
      LOG.log(
          Level.FINE,
          "preparing the answer for grant {0} failed: {1}",
          new Object[] {credential.grantId(), e.getClass().getName()});
      return null;
    }
  }

  private static ResolveFailure asFailure(Throwable error, String grant) {
    Throwable t = error;
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ResolveFailure) {
      return (ResolveFailure) t;
    }
    return new ResolveFailure(
        ErrorCode.RESOLVER_UNAVAILABLE,
        grant,
        "unexpected resolver failure " + t.getClass().getName());
  }
}
