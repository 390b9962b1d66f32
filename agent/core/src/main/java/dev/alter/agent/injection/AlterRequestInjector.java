package dev.alter.agent.injection;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestInjector;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.config.AgentConfig;
import dev.alter.agent.injection.aws.AwsRequestSigner;
import dev.alter.agent.policy.EnforcedPolicy;
import dev.alter.agent.resolver.GrantRequest;
import dev.alter.agent.resolver.GrantResolver;
import dev.alter.agent.resolver.PreparedAnswer;
import dev.alter.agent.resolver.ResolveFailure;
import dev.alter.agent.resolver.ResolvedCredential;
import dev.alter.agent.usage.UsageCounts;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.aws.AwsEndpoint;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Decides, for one hop of one request, what goes on the wire: untagged requests are never seen
 * here; a request with only {@code alter-identity} is stripped; a request with {@code alter-grant}
 * gets its credential, but only if the origin actually dialled is one of the secret's destinations
 * (checked on every hop, so a cross-origin redirect never carries it). AWS secrets are not injected
 * but signed (SigV4) with the derived key the resolver sealed for today's UTC date.
 */
public final class AlterRequestInjector implements RequestInjector {
  /**
   * The last host's hint: an app mostly calls one provider, and parsing an AWS host name (a split
   * and a pattern per label) on every tagged request showed in its profile.
   */
  private static volatile ScopeHint lastScopeHint;

  private final GrantResolver<RequestRewrite> resolver;
  private final InjectionApplier applier;
  private final AwsRequestSigner awsSigner;

  /** Non-null when the agent is not configured: every tagged request fails with this. */
  private final Unconfigured unconfigured;

  /**
   * The JVM-wide agent token, used as the identity of requests without {@code alter-identity}; may
   * be null.
   */
  private final String jvmAgentToken;

  /** Where injected and refused requests and the provider's answers are counted; may be null. */
  private volatile UsageCounts usage;

  private AlterRequestInjector(
      GrantResolver<RequestRewrite> resolver, InjectionApplier applier, Unconfigured unconfigured) {
    this(resolver, applier, unconfigured, null, AgentConfig.DEFAULT_MAX_SIGNED_BODY_BYTES);
  }

  private AlterRequestInjector(
      GrantResolver<RequestRewrite> resolver,
      InjectionApplier applier,
      Unconfigured unconfigured,
      String jvmAgentToken,
      long maxSignedBodyBytes) {
    this.jvmAgentToken = jvmAgentToken;
    this.resolver = resolver;
    this.applier = applier;
    this.unconfigured = unconfigured;
    this.awsSigner = new AwsRequestSigner(maxSignedBodyBytes);
  }

  /** Counts this injector's requests (and their responses) into {@code counts}. */
  public AlterRequestInjector countingInto(UsageCounts counts) {
    this.usage = counts;
    return this;
  }

  /** The largest body this injector reads to hash for an AWS signature. */
  public long maxSignedBodyBytes() {
    return awsSigner.maxSignedBodyBytes();
  }

  public static AlterRequestInjector resolvingWith(GrantResolver<RequestRewrite> resolver) {
    return new AlterRequestInjector(resolver, new InjectionApplier(), null);
  }

  /**
   * @param jvmAgentToken the managed agent token this JVM runs as, or null
   * @param maxSignedBodyBytes the largest request body read to hash for an AWS signature ({@link
   *     AgentConfig#maxSignedBodyBytes()})
   */
  public static AlterRequestInjector resolvingWith(
      GrantResolver<RequestRewrite> resolver, String jvmAgentToken, long maxSignedBodyBytes) {
    return new AlterRequestInjector(
        resolver, new InjectionApplier(), null, jvmAgentToken, maxSignedBodyBytes);
  }

  /**
   * @param jvmAgentToken the managed agent token this JVM runs as ({@code ALTER_AGENT_TOKEN}), sent
   *     as the identity of tagged requests that carry no {@code alter-identity}; null for none
   */
  public static AlterRequestInjector resolvingWith(
      GrantResolver<RequestRewrite> resolver, String jvmAgentToken) {
    return new AlterRequestInjector(
        resolver,
        new InjectionApplier(),
        null,
        jvmAgentToken,
        AgentConfig.DEFAULT_MAX_SIGNED_BODY_BYTES);
  }

  /**
   * An inert injector: strips {@code alter-*} headers and fails tagged requests, naming the missing
   * setting.
   */
  public static AlterRequestInjector unconfigured(ErrorCode code, String detail) {
    return new AlterRequestInjector(null, new InjectionApplier(), new Unconfigured(code, detail));
  }

  @Override
  public RequestRewrite rewrite(OutgoingRequest request) throws AlterCredentialException {
    String grant = request.grantHeader();
    if (grant == null) {
      return RequestRewrite.stripOnly();
    }
    grant = grant.trim();
    if (grant.isEmpty()) {
      throw new AlterCredentialException(
          ErrorCode.GRANT_NOT_FOUND.code(),
          null,
          "the alter-grant header is empty",
          "send 'alter-grant: grt_…' or 'alter-grant: @provider'");
    }
    if (unconfigured != null) {
      throw new AlterCredentialException(
          unconfigured.code.code(), grant, unconfigured.detail, unconfigured.code.fix());
    }
    GrantRequest asked = grantRequest(grant, request);
    try {
      PreparedAnswer<RequestRewrite> answer = resolver.cachedFresh(asked);
      if (answer == null) {
        answer = resolver.resolve(asked);
      }
      return rewriteWith(grant, asked, answer, request);
    } catch (AlterCredentialException e) {
      countRefusal(grant, request, e.code());
      throw e;
    } catch (dev.alter.agent.resolver.ResolveFailure f) {
      countRefusal(grant, request, f.code().code());
      throw f;
    }
  }

  @Override
  public void refusedAtEntry(String grant, String code) {
    UsageCounts counts = usage;
    if (counts != null && grant != null) {
      counts.refused(grant, null, code);
    }
  }

  private void countRefusal(String grant, OutgoingRequest request, String code) {
    UsageCounts counts = usage;
    if (counts != null) {
      counts.refused(grant, identityDigest(request), code);
    }
  }

  /** The digest of the end user's identity ({@code alter-identity}), or null for none. */
  private static String identityDigest(OutgoingRequest request) {
    String identity = request.identityHeader();
    if (identity == null || identity.trim().isEmpty()) {
      return null;
    }
    return GrantRequest.digestOf(identity.trim());
  }

  /**
   * {@link #rewrite} for an event loop: a request that needs no resolve, or whose credential is
   * cached and fresh, is answered at once; otherwise the resolve runs off the caller's thread and
   * the future completes when it ends (or the resolve timeout passes).
   */
  @Override
  public CompletableFuture<RequestRewrite> rewriteWithoutBlocking(OutgoingRequest request) {
    String tagged = request.grantHeader();
    String grant = tagged == null ? "" : tagged.trim();
    if (grant.isEmpty() || unconfigured != null) {
      return RequestInjector.super.rewriteWithoutBlocking(request);
    }
    GrantRequest asked = grantRequest(grant, request);
    if (resolver.cachedFresh(asked) != null) {
      return RequestInjector.super.rewriteWithoutBlocking(request);
    }
    CompletableFuture<RequestRewrite> rewritten = new CompletableFuture<>();
    resolver
        .resolveWithoutBlocking(asked)
        .whenComplete(
            (answer, error) -> {
              if (error != null) {
                Throwable cause =
                    error instanceof java.util.concurrent.CompletionException
                            && error.getCause() != null
                        ? error.getCause()
                        : error;
                if (cause instanceof AlterCredentialException) {
                  countRefusal(grant, request, ((AlterCredentialException) cause).code());
                } else if (cause instanceof dev.alter.agent.resolver.ResolveFailure) {
                  countRefusal(
                      grant,
                      request,
                      ((dev.alter.agent.resolver.ResolveFailure) cause).code().code());
                }
                rewritten.completeExceptionally(error);
                return;
              }
              try {
                rewritten.complete(rewriteWith(grant, asked, answer, request));
              } catch (AlterCredentialException e) {
                countRefusal(grant, request, e.code());
                rewritten.completeExceptionally(e);
              } catch (RuntimeException e) {
                rewritten.completeExceptionally(e);
              }
            });
    return rewritten;
  }

  private GrantRequest grantRequest(String grant, OutgoingRequest request) {
    String identity = request.identityHeader();
    if (identity != null) {
      identity = identity.trim();
      if (identity.isEmpty()) {
        identity = null;
      }
    }
    if (identity == null) {
      identity = jvmAgentToken;
    }
    return new GrantRequest(grant, identity, awsScopeHint(request.host()), request);
  }

  private RequestRewrite rewriteWith(
      String grant,
      GrantRequest asked,
      PreparedAnswer<RequestRewrite> answer,
      OutgoingRequest request)
      throws AlterCredentialException {
    ResolvedCredential credential = answer.credential();
    checkDestination(grant, credential, request);
    EnforcedPolicy policy = credential.policy();
    if (policy != null) {
      policy.check(grant, request, resolver.clock().millis());
    }
    if (!credential.isAwsSigning()) {
      RequestRewrite rewrite =
          applier.apply(grant, credential, answer.prepared(), request.pathAndQuery());
      observeResponse(grant, credential, request);
      return rewrite;
    }
    Instant now = resolver.clock().instant();
    if (!credential.usableAt(now.toEpochMilli())) {
      // the UTC day turned (or the session ended) between resolving and signing: the resolver now
      // sees the key as unusable and answers fresh, or fails closed
      credential = resolver.resolve(asked).credential();
      checkDestination(grant, credential, request);
      now = resolver.clock().instant();
      ResolveFailure unusable = credential.unusableAt(grant, now.toEpochMilli());
      if (unusable != null) {
        throw unusable.toException();
      }
    }
    RequestRewrite signed = awsSigner.sign(grant, credential.aws(), request, now);
    observeResponse(grant, credential, request);
    return signed;
  }

  private void observeResponse(
      String grant, ResolvedCredential credential, OutgoingRequest request) {
    UsageCounts counts = usage;
    if (counts != null) {
      request.responseObserver(
          counts.injected(grant, credential.grantId(), identityDigest(request)));
    }
  }

  private static void checkDestination(
      String grant, ResolvedCredential credential, OutgoingRequest request)
      throws AlterCredentialException {
    DestinationPolicy.Decision decision =
        credential.destinations().check(request.scheme(), request.host(), request.port());
    if (!decision.allowed()) {
      throw new AlterCredentialException(
          decision.error.code(), grant, decision.reason, decision.error.fix());
    }
  }

  /**
   * {@code region/service} for AWS endpoint hosts, so the keys derived for two services (or
   * regions) under one grant are cached apart; null for every other host (the cache key is as
   * before, and the secret's configured scope applies).
   */
  static String awsScopeHint(String host) {
    if (host == null) {
      return null;
    }
    ScopeHint last = lastScopeHint;
    if (last != null && last.host.equals(host)) {
      return last.hint;
    }
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    AwsEndpoint endpoint = AwsEndpoint.fromHost(h);
    String hint = endpoint == null ? null : endpoint.toString();
    lastScopeHint = new ScopeHint(host, hint);
    return hint;
  }

  private static final class ScopeHint {
    final String host;
    final String hint;

    ScopeHint(String host, String hint) {
      this.host = host;
      this.hint = hint;
    }
  }

  private static final class Unconfigured {
    final ErrorCode code;
    final String detail;

    Unconfigured(ErrorCode code, String detail) {
      this.code = code;
      this.detail = detail;
    }
  }
}
