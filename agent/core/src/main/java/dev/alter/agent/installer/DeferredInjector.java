package dev.alter.agent.installer;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestInjector;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.config.AgentConfig;
import dev.alter.agent.config.AgentLog;
import dev.alter.agent.injection.AlterRequestInjector;
import dev.alter.agent.injection.InjectionApplier;
import dev.alter.agent.policy.EnforcedPolicy;
import dev.alter.agent.policy.PolicyRefusals;
import dev.alter.agent.policy.RefusalReporter;
import dev.alter.agent.resolver.ChangeSubscription;
import dev.alter.agent.resolver.GrantResolver;
import dev.alter.agent.resolver.ProcessKeyPair;
import dev.alter.agent.resolver.ResolverClient;
import dev.alter.agent.resolver.ResolverEndpoints;
import dev.alter.agent.usage.UsageCounts;
import dev.alter.agent.usage.UsageReporter;
import dev.alter.contract.ErrorCode;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The injector the bridge holds from the first instant: it builds the real one (resolver client,
 * cache, injection, JSON, and with them a few hundred classes) on the first request that needs it,
 * or when {@link #warmUp} is called, never during {@code premain}. Building is done once, under a
 * lock, so concurrent first requests share one resolver; a failure to build fails that request (the
 * bridge turns it into {@code resolver_unavailable}) and the next request tries again.
 */
final class DeferredInjector implements RequestInjector {
  private final AgentConfig config;
  private final String agentVersion;
  private volatile RequestInjector injector;
  private ResolverClient client;
  private volatile GrantResolver<RequestRewrite> resolver;
  private ChangeSubscription changes;

  DeferredInjector(AgentConfig config) {
    this(config, null);
  }

  /**
   * @param agentVersion what the change subscription tells the service (connected agents)
   */
  DeferredInjector(AgentConfig config, String agentVersion) {
    this.config = config;
    this.agentVersion = agentVersion;
  }

  @Override
  public RequestRewrite rewrite(OutgoingRequest request) throws AlterCredentialException {
    return injector().rewrite(request);
  }

  /**
   * Never builds the real injector on the caller's thread (an event loop): until it exists, the
   * building and the resolve happen on a thread of the agent's.
   */
  @Override
  public CompletableFuture<RequestRewrite> rewriteWithoutBlocking(OutgoingRequest request) {
    RequestInjector built = injector;
    if (built != null) {
      return built.rewriteWithoutBlocking(request);
    }
    return CompletableFuture.supplyAsync(this::injector, BUILDER)
        .thenCompose(real -> real.rewriteWithoutBlocking(request));
  }

  /**
   * Counts on the real injector; builds it, when this is the first tagged request, on the agent's
   * thread rather than the caller's.
   */
  @Override
  public void refusedAtEntry(String grant, String code) {
    RequestInjector built = injector;
    if (built != null) {
      built.refusedAtEntry(grant, code);
    } else {
      CompletableFuture.runAsync(() -> injector().refusedAtEntry(grant, code), BUILDER);
    }
  }

  /** One daemon thread, started for the first tagged request and gone when idle. */
  private static final Executor BUILDER =
      new ThreadPoolExecutor(
          0,
          1,
          10,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          command -> {
            Thread thread = new Thread(command, "alter-injector-start");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * Does the one-time work of the first resolve (key pair, TLS context, HTTP client) ahead of it;
   * called on a daemon thread once the application loads an HTTP client the agent hooks.
   */
  void warmUp() {
    injector();
    ResolverClient resolverClient;
    synchronized (this) {
      resolverClient = client;
    }
    if (resolverClient != null) {
      resolverClient.prepare();
    }
  }

  /**
   * A change committed between this agent's first resolve and its feed's first hello would never
   * reach the cache; the feed starts first, and the first resolve waits for its hello (or for its
   * first attempt to fail: an unreachable service fails the resolve too).
   */
  private void awaitCurrentFeed() {
    try {
      changes.awaitFirstHello(config.resolveTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  RequestInjector injector() {
    RequestInjector built = injector;
    if (built == null) {
      synchronized (this) {
        built = injector;
        if (built == null) {
          built = build();
          injector = built;
        }
      }
    }
    return built;
  }

  /**
   * Drops what was resolved for this identity token (its user's key was just stored or deleted);
   * nothing to do before the first resolve.
   */
  void forgetIdentity(String identity) {
    GrantResolver<RequestRewrite> built = resolver;
    if (built != null) {
      built.forgetIdentity(identity);
    }
  }

  private RequestInjector build() {
    AgentLog.logger(); // the resolver logs through Logger.getLogger(AgentLog.LOGGER_NAME)
    if (config.resolverUrl() == null) {
      return AlterRequestInjector.unconfigured(
          ErrorCode.RESOLVER_UNAVAILABLE,
          "the agent has no resolver URL; set ALTER_RESOLVER_URL, -Dalter.resolver.url or the agent argument resolver=");
    }
    if (config.apiKey() == null) {
      return AlterRequestInjector.unconfigured(
          ErrorCode.UNAUTHORIZED_APP,
          "the agent has no app key; set ALTER_API_KEY, ALTER_API_KEY_FILE, -Dalter.api.key.file or the agent argument api_key_file="
              + (config.apiKeySource() != null
                  ? " (the key from " + config.apiKeySource() + " could not be used)"
                  : ""));
    }
    client =
        new ResolverClient(
            new ResolverEndpoints(config.resolverUrls()),
            config.apiKey(),
            config.caFile(),
            config.resolveTimeout(),
            ProcessKeyPair.lazy());
    PolicyRefusals refusals = new PolicyRefusals();
    client.withPolicies(new EnforcedPolicy.Registry(refusals));
    ResolverClient reporting = client;
    new RefusalReporter(
        refusals, reporting::reportRefusals, config.policyReportInterval().toMillis());
    resolver =
        new GrantResolver<>(
            client,
            Clock.systemUTC(),
            config.resolveTimeout(),
            config.maxStaleness(),
            config.denialCacheTtl(),
            new InjectionApplier());
    // one subscription per process: change events reach the cache within the feed's latency
    changes =
        new ChangeSubscription(
            client.endpoints(), // the replicas resolves fail over between
            client,
            resolver,
            agentVersion,
            Clock.systemUTC());
    resolver.lastHeartbeat(changes::lastHeartbeatMillis);
    changes.start();
    awaitCurrentFeed();
    UsageCounts usage = new UsageCounts(System::currentTimeMillis);
    new UsageReporter(usage, reporting::reportUsage, config.usageReportInterval().toMillis());
    return AlterRequestInjector.resolvingWith(
            resolver, config.agentToken(), config.maxSignedBodyBytes())
        .countingInto(usage);
  }
}
