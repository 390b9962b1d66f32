package dev.alter.service.http;

import dev.alter.contract.ResolveRequest;
import dev.alter.contract.WireFormat;
import dev.alter.service.app.ApiException;
import dev.alter.service.app.ResolveService;
import io.javalin.config.RoutesConfig;

/** {@code POST /v1/resolve} (app keys). */
final class ResolveRoutes {
  private final ResolveService resolves;
  private final JsonBodies bodies;
  private final ClientAddress clientAddress;

  ResolveRoutes(ResolveService resolves, JsonBodies bodies, ClientAddress clientAddress) {
    this.resolves = resolves;
    this.bodies = bodies;
    this.clientAddress = clientAddress;
  }

  void register(RoutesConfig r) {
    r.post(
        WireFormat.RESOLVE_PATH,
        ctx -> {
          ResolveRequest request;
          try {
            request = bodies.read(ctx, ResolveRequest.class);
          } catch (ApiException e) {
            resolves.recordMalformed(Authorization.caller(ctx), e.code(), e.getMessage());
            throw e;
          }
          Responses.json(
              ctx,
              200,
              resolves.resolve(
                  Authorization.caller(ctx),
                  request,
                  Authorization.agentProof(ctx),
                  clientAddress.of(
                      ctx.req().getRemoteAddr(),
                      java.util.Collections.list(ctx.req().getHeaders("X-Forwarded-For")))));
        });
  }
}
