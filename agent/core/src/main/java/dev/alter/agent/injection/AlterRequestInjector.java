package dev.alter.agent.injection;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestInjector;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.resolver.GrantResolver;
import dev.alter.agent.resolver.ResolvedCredential;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.ErrorCode;
import java.util.Locale;

/**
 * Decides, for one hop of one request, what goes on the wire: untagged requests are never seen
 * here; a request with only {@code alter-identity} is stripped; a request with {@code alter-grant}
 * gets its credential, but only if the origin actually dialled is one of the secret's
 * destinations (checked on every hop, so a cross-origin redirect never carries it).
 */
public final class AlterRequestInjector implements RequestInjector {
  private final GrantResolver resolver;
  private final InjectionApplier applier;
  /** Non-null when the agent is not configured: every tagged request fails with this. */
  private final Unconfigured unconfigured;
  /** The JVM-wide agent token, used as the identity of requests without {@code alter-identity}; may be null. */
  private final String jvmAgentToken;

  private AlterRequestInjector(GrantResolver resolver, InjectionApplier applier, Unconfigured unconfigured) {
    this(resolver, applier, unconfigured, null);
  }

  private AlterRequestInjector(GrantResolver resolver, InjectionApplier applier, Unconfigured unconfigured,
      String jvmAgentToken) {
    this.jvmAgentToken = jvmAgentToken;
    this.resolver = resolver;
    this.applier = applier;
    this.unconfigured = unconfigured;
  }

  public static AlterRequestInjector resolvingWith(GrantResolver resolver) {
    return new AlterRequestInjector(resolver, new InjectionApplier(), null);
  }

  /**
   * @param jvmAgentToken the managed agent token this JVM runs as ({@code ALTER_AGENT_TOKEN}), sent
   *     as the identity of tagged requests that carry no {@code alter-identity}; null for none
   */
  public static AlterRequestInjector resolvingWith(GrantResolver resolver, String jvmAgentToken) {
    return new AlterRequestInjector(resolver, new InjectionApplier(), null, jvmAgentToken);
  }

  /** An inert injector: strips {@code alter-*} headers and fails tagged requests, naming the missing setting. */
  public static AlterRequestInjector unconfigured(ErrorCode code, String detail) {
    return new AlterRequestInjector(null, new InjectionApplier(), new Unconfigured(code, detail));
  }

  @Override
  public RequestRewrite rewrite(OutgoingRequest request) throws AlterCredentialException {
    String grant = request.firstHeader(AlterBridge.GRANT_HEADER);
    if (grant == null) {
      return RequestRewrite.stripOnly();
    }
    grant = grant.trim();
    if (grant.isEmpty()) {
      throw new AlterCredentialException(ErrorCode.GRANT_NOT_FOUND.code(), null, "the alter-grant header is empty",
          "send 'alter-grant: grt_…' or 'alter-grant: @provider'");
    }
    if (unconfigured != null) {
      throw new AlterCredentialException(unconfigured.code.code(), grant, unconfigured.detail, unconfigured.code.fix());
    }
    String identity = request.firstHeader(AlterBridge.IDENTITY_HEADER);
    if (identity != null) {
      identity = identity.trim();
      if (identity.isEmpty()) {
        identity = null;
      }
    }
    if (identity == null) {
      identity = jvmAgentToken;
    }
    String scheme = request.scheme() == null ? "" : request.scheme().toLowerCase(Locale.ROOT);
    int port = request.port() > 0 ? request.port() : "https".equals(scheme) ? 443 : 80;
    String origin = scheme + "://" + request.host() + ":" + port;

    ResolvedCredential credential = resolver.resolve(grant, identity, request.method(), origin, request.url());

    DestinationPolicy.Decision decision = credential.destinations().check(request.scheme(), request.host(),
        request.port());
    if (!decision.allowed()) {
      throw new AlterCredentialException(decision.error.code(), grant, decision.reason, decision.error.fix());
    }
    return applier.apply(grant, credential.injection(), credential.payload(), request.pathAndQuery());
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
