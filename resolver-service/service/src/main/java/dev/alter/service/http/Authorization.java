package dev.alter.service.http;

import dev.alter.contract.ErrorCode;
import dev.alter.contract.WireFormat;
import dev.alter.service.app.ApiException;
import dev.alter.service.app.Caller;
import dev.alter.service.app.KeyAuthenticator;
import dev.alter.service.app.ResolveService;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * The before-filter of every matched route: the resolve endpoint takes app keys, every other
 * {@code /v1/} endpoint admin keys, the rest (health, readiness, metrics) no key. The key kind
 * is decided from the route Javalin matched, not the request path: Javalin also matches
 * {@code /v1/resolve/}, and a path test would send it down the admin branch into the resolve
 * handler. Establishes the {@link Caller} for the route.
 */
final class Authorization {
  private static final String CALLER = "alter.caller";
  /** Every route under it needs a key. */
  private static final String API_PREFIX = "/v1/";

  private final KeyAuthenticator authenticator;
  private final ResolveService resolves;

  Authorization(KeyAuthenticator authenticator, ResolveService resolves) {
    this.authenticator = authenticator;
    this.resolves = resolves;
  }

  void check(Context ctx) {
    String route = ctx.endpoints().matchedHttpEndpoint().path;
    if (!route.startsWith(API_PREFIX)) {
      return;
    }
    boolean resolve = route.equals(WireFormat.RESOLVE_PATH);
    Optional<Caller> caller = authenticator.authenticate(ctx.header("Authorization"));
    if (caller.isEmpty()) {
      if (resolve) {
        resolves.recordUnauthorized();
        throw new ApiException(ErrorCode.UNAUTHORIZED_APP, "send 'Authorization: Bearer alter_key_app_…' with a live app key");
      }
      throw new ApiException(ErrorCode.UNAUTHORIZED, "send 'Authorization: Bearer alter_key_admin_…' with a live admin key");
    }
    Caller.Kind needed = resolve ? Caller.Kind.APP : Caller.Kind.ADMIN;
    if (caller.get().kind() != needed) {
      throw new ApiException(ErrorCode.FORBIDDEN, resolve
          ? "only app keys may resolve; admin keys manage the service"
          : "app keys may only call " + WireFormat.RESOLVE_PATH);
    }
    ctx.attribute(CALLER, caller.get());
  }

  static Caller caller(Context ctx) {
    Caller c = ctx.attribute(CALLER);
    if (c == null) {
      throw new IllegalStateException("route reached without authorization");
    }
    return c;
  }
}
