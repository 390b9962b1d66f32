package dev.alter.identity;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetSourceWrapper;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URL;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * A JWKS endpoint behind nimbus' source chain, as {@link JWKSourceBuilder} composes it: a
 * refresh-ahead cache over a rate limiter over an outage-tolerant cache over the HTTP fetch.
 *
 * <p>We drive the chain's {@link JWKSetSource} ourselves instead of nimbus' {@code JWKSource}
 * facade for two reasons: the facade reads {@code System.currentTimeMillis()}, while every layer
 * below takes the time as an argument, so passing {@link Clock#millis()} makes expiry, rate
 * limiting and outage tolerance testable with an injected clock; and the verifier needs to tell "no
 * such key" from "no key set", which the facade folds into one empty list.
 *
 * <p>Outage bound: nimbus' outage layer hands back its copy and the cache above re-caches it for a
 * full TTL, so by itself keys could live for tolerance + TTL. We record the time of the last
 * successful fetch and refuse keys older than {@link JwksFetchPolicy#outageTolerance()} after one
 * forced (rate-limited) refetch, which makes the documented bound exact.
 */
public final class RemoteJwksKeySource implements JwksKeySource {
  private final URL url;
  private final Clock clock;
  private final long outageToleranceMillis;
  private final LastSuccessfulFetch lastSuccess;
  private final JWKSetSource<SecurityContext> chain;

  private RemoteJwksKeySource(
      URL url, JwksFetchPolicy policy, Clock clock, ResourceRetriever retriever) {
    this.url = url;
    this.clock = clock;
    this.outageToleranceMillis = policy.outageTolerance().toMillis();
    this.lastSuccess = new LastSuccessfulFetch(new URLBasedJWKSetSource<>(url, retriever));
    ExecutorService refresher =
        Executors.newSingleThreadExecutor(daemonThreads("alter-jwks-refresh"));
    ScheduledExecutorService scheduler =
        policy.scheduledRefresh()
            ? Executors.newSingleThreadScheduledExecutor(daemonThreads("alter-jwks-schedule"))
            : null;
    JWKSource<SecurityContext> built =
        JWKSourceBuilder.create(lastSuccess)
            .cache(policy.cacheTtl().toMillis(), policy.refreshTimeout().toMillis())
            .refreshAheadCache(
                policy.refreshAhead().toMillis(), null, refresher, true, scheduler, true)
            .rateLimited(policy.minRefetchInterval().toMillis())
            .outageTolerant(policy.outageTolerance().toMillis())
            .retrying(false)
            .build();
    if (!(built instanceof JWKSetBasedJWKSource<SecurityContext> setBased)) {
      throw new IllegalStateException(
          "unexpected JWKSource from JWKSourceBuilder: " + built.getClass());
    }
    this.chain = setBased.getJWKSetSource();
  }

  /** Fetches with nimbus' HTTP retriever, using the policy's timeouts and size limit. */
  public static RemoteJwksKeySource create(URL url, JwksFetchPolicy policy, Clock clock) {
    return create(
        url,
        policy,
        clock,
        new DefaultResourceRetriever(
            (int) policy.connectTimeout().toMillis(),
            (int) policy.readTimeout().toMillis(),
            policy.sizeLimitBytes()));
  }

  /** With a given retriever (custom TLS trust, proxy, or a test double). */
  public static RemoteJwksKeySource create(
      URL url, JwksFetchPolicy policy, Clock clock, ResourceRetriever retriever) {
    return new RemoteJwksKeySource(url, policy, clock, retriever);
  }

  @Override
  public JWKSet current() throws JwksUnavailableException {
    long now = clock.millis();
    JWKSet set = fetch(JWKSetCacheRefreshEvaluator.noRefresh(), now);
    if (stale(now)) {
      // What we hold may be the outage copy, re-cached: try once (rate limited) for a fresh set.
      set = fetch(JWKSetCacheRefreshEvaluator.forceRefresh(), now);
      if (stale(now)) {
        throw new JwksUnavailableException(
            "JWKS " + url + " not fetched successfully within the outage tolerance", null);
      }
    }
    return set;
  }

  @Override
  public JWKSet refreshedAfterMiss(JWKSet seen) throws JwksUnavailableException {
    try {
      // Reference comparison: if another thread already replaced "seen", its set is used as is.
      return chain.getJWKSet(
          JWKSetCacheRefreshEvaluator.referenceComparison(seen), clock.millis(), null);
    } catch (RateLimitReachedException e) {
      return seen;
    } catch (KeySourceException | RuntimeException e) {
      throw new JwksUnavailableException("JWKS " + url + " unavailable: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      chain.close();
    } catch (IOException e) {
      // Closing only stops executors; nothing to recover.
    }
  }

  private JWKSet fetch(JWKSetCacheRefreshEvaluator evaluator, long now)
      throws JwksUnavailableException {
    try {
      return chain.getJWKSet(evaluator, now, null);
    } catch (KeySourceException | RuntimeException e) {
      // RuntimeException: e.g. a refresh handed to an executor that close() already stopped,
      // when an IdP is replaced while a request is verifying with its old configuration.
      throw new JwksUnavailableException("JWKS " + url + " unavailable: " + e.getMessage(), e);
    }
  }

  private boolean stale(long now) {
    long last = lastSuccess.millis;
    return last < 0 || now - last > outageToleranceMillis;
  }

  private static ThreadFactory daemonThreads(String name) {
    return runnable -> {
      Thread t = new Thread(runnable, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Innermost layer: remembers when the endpoint last answered with a parsable key set. */
  private static final class LastSuccessfulFetch extends JWKSetSourceWrapper<SecurityContext> {
    private volatile long millis = -1;

    LastSuccessfulFetch(JWKSetSource<SecurityContext> source) {
      super(source);
    }

    @Override
    public JWKSet getJWKSet(
        JWKSetCacheRefreshEvaluator evaluator, long currentTime, SecurityContext context)
        throws KeySourceException {
      JWKSet set = getSource().getJWKSet(evaluator, currentTime, context);
      millis = currentTime;
      return set;
    }
  }
}
