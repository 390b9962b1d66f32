package dev.alter.service.http;

import dev.alter.service.app.AgentService;
import dev.alter.service.app.IdentityProviderService;
import dev.alter.service.app.Requests;
import io.javalin.config.RoutesConfig;

/** {@code /v1/idps} and {@code /v1/agents}: whom user, group and agent grants can name. */
final class IdentityRoutes {
  private final IdentityProviderService idps;
  private final AgentService agents;
  private final JsonBodies bodies;

  IdentityRoutes(IdentityProviderService idps, AgentService agents, JsonBodies bodies) {
    this.idps = idps;
    this.agents = agents;
    this.bodies = bodies;
  }

  void register(RoutesConfig r) {
    r.post(
        "/v1/idps",
        ctx ->
            Responses.json(
                ctx,
                201,
                idps.create(
                    Authorization.caller(ctx), bodies.read(ctx, Requests.CreateIdp.class))));
    r.get("/v1/idps", ctx -> Responses.json(ctx, 200, idps.list()));
    r.get("/v1/idps/{idp_id}", ctx -> Responses.json(ctx, 200, idps.get(ctx.pathParam("idp_id"))));
    r.patch(
        "/v1/idps/{idp_id}",
        ctx ->
            Responses.json(
                ctx,
                200,
                idps.update(
                    Authorization.caller(ctx),
                    ctx.pathParam("idp_id"),
                    bodies.read(ctx, Requests.UpdateIdp.class))));
    r.delete(
        "/v1/idps/{idp_id}",
        ctx -> {
          idps.delete(Authorization.caller(ctx), ctx.pathParam("idp_id"));
          ctx.status(204);
        });

    r.post(
        "/v1/agents",
        ctx ->
            Responses.json(
                ctx,
                201,
                agents.create(
                    Authorization.caller(ctx), bodies.read(ctx, Requests.CreateAgent.class))));
    r.get("/v1/agents", ctx -> Responses.json(ctx, 200, agents.list()));
    r.get(
        "/v1/agents/{agent_id}",
        ctx -> Responses.json(ctx, 200, agents.get(ctx.pathParam("agent_id"))));
    r.post(
        "/v1/agents/{agent_id}/tokens",
        ctx -> {
          bodies.read(ctx, Requests.Empty.class);
          Responses.json(
              ctx, 201, agents.rotateToken(Authorization.caller(ctx), ctx.pathParam("agent_id")));
        });
    r.post(
        "/v1/agents/{agent_id}/revoke",
        ctx -> {
          bodies.read(ctx, Requests.Empty.class);
          Responses.json(
              ctx, 200, agents.revoke(Authorization.caller(ctx), ctx.pathParam("agent_id")));
        });
  }
}
