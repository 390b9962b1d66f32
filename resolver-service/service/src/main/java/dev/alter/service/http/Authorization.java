package dev.alter.service.http;

import dev.alter.contract.ErrorCode;
import dev.alter.contract.WireFormat;
import dev.alter.identity.AgentTokenProof;
import dev.alter.service.app.ApiException;
import dev.alter.service.app.Caller;
import dev.alter.service.app.KeyAuthenticator;
import dev.alter.service.app.ResolveService;
import dev.alter.service.app.SignedRequest;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * The before-filter of every matched route: the resolve endpoint takes app keys, every other {@code
 * /v1/} endpoint admin keys, the rest (health, readiness, metrics) no key. The key kind is decided
 * from the route Javalin matched, not the request path: Javalin also matches {@code /v1/resolve/},
 * and a path test would send it down the admin branch into the resolve handler. Establishes the
 * {@link Caller} for the route. A signed request's body is read here (the signature covers it) and
 * kept for the route's {@link JsonBodies}.
 */
final class Authorization {
  private static final String CALLER = "alter.caller";
  private static final String AGENT_PROOF = "alter.agent-proof";

  /** Every route under it needs a key. */
  private static final String API_PREFIX = "/v1/";

  private final KeyAuthenticator authenticator;
  private final ResolveService resolves;
  private final JsonBodies bodies;

  Authorization(KeyAuthenticator authenticator, ResolveService resolves, JsonBodies bodies) {
    this.authenticator = authenticator;
    this.resolves = resolves;
    this.bodies = bodies;
  }

  void check(Context ctx) {
    String route = ctx.endpoints().matchedHttpEndpoint().path;
    if (!route.startsWith(API_PREFIX)) {
      return;
    }
    boolean resolve = route.equals(WireFormat.RESOLVE_PATH);
    // the change feed is the agent's too: app keys, signed exactly like resolves
    boolean appRoute =
        resolve
            || route.startsWith(UserSecretRoutes.APP_PREFIX)
            || route.equals(WireFormat.CHANGES_PATH)
            || route.equals(WireFormat.CHANGES_HEARTBEAT_PATH)
            // agents report policy refusals with the same signed app-key requests
            || route.equals(WireFormat.POLICY_REFUSALS_PATH)
            // and report usage over the same authenticated channel
            || route.equals(UsageRoutes.REPORT_PATH);
    Optional<KeyAuthenticator.Authenticated> authenticated;
    try {
      authenticated =
          authenticator.authenticate(
              ctx.header("Authorization"),
              () ->
                  new SignedRequest(
                      ctx.method().name(),
                      ctx.req().getRequestURI(),
                      ctx.header("Host"),
                      bodies.bytes(ctx)));
    } catch (ApiException e) {
      if (resolve && e.code() == ErrorCode.SIGNATURE_REJECTED) {
        resolves.recordRejectedSignature(e.getMessage());
      }
      throw e;
    }
    if (authenticated.isEmpty()) {
      if (appRoute) {
        if (resolve) {
          resolves.recordUnauthorized();
        }
        throw new ApiException(
            ErrorCode.UNAUTHORIZED_APP,
            "send a live app key: an 'Authorization: Alter-Signature …' made with it, or 'Bearer alter_key_app_…'");
      }
      throw new ApiException(
          ErrorCode.UNAUTHORIZED,
          "send 'Authorization: Bearer alter_key_admin_…' with a live admin key");
    }
    Caller caller = authenticated.get().caller();
    Caller.Kind needed = appRoute ? Caller.Kind.APP : Caller.Kind.ADMIN;
    if (caller.kind() != needed) {
      throw new ApiException(
          ErrorCode.FORBIDDEN,
          appRoute
              ? "only app keys may resolve, subscribe to changes, report refusals and usage or"
                  + " manage their users' keys;"
                  + " admin keys manage the service"
              : "app keys may only call "
                  + WireFormat.RESOLVE_PATH
                  + ", "
                  + WireFormat.CHANGES_PATH
                  + ", "
                  + WireFormat.POLICY_REFUSALS_PATH
                  + ", "
                  + UsageRoutes.REPORT_PATH
                  + " and "
                  + UserSecretRoutes.APP_PREFIX
                  + "…");
    }
    if (!resolve
        && route.startsWith(UserSecretRoutes.APP_PREFIX)
        && authenticated.get().agentProof() != null) {
      throw ApiException.invalid(
          "a user's key is stored for the user whose JWT the body carries, never for an agent token");
    }
    ctx.attribute(CALLER, caller);
    if (authenticated.get().agentProof() != null) {
      ctx.attribute(AGENT_PROOF, authenticated.get().agentProof());
    }
  }

  /** The managed agent's token proof the request's signature carried, or null. */
  static AgentTokenProof agentProof(Context ctx) {
    return ctx.attribute(AGENT_PROOF);
  }

  static Caller caller(Context ctx) {
    Caller c = ctx.attribute(CALLER);
    if (c == null) {
      throw new IllegalStateException("route reached without authorization");
    }
    return c;
  }
}
