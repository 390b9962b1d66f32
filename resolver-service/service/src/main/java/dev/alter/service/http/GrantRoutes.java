package dev.alter.service.http;

import dev.alter.service.app.GrantService;
import dev.alter.service.app.Requests;
import io.javalin.config.RoutesConfig;

/** {@code /v1/grants}. */
final class GrantRoutes {
  private final GrantService grants;
  private final JsonBodies bodies;

  GrantRoutes(GrantService grants, JsonBodies bodies) {
    this.grants = grants;
    this.bodies = bodies;
  }

  void register(RoutesConfig r) {
    r.post(
        "/v1/grants",
        ctx ->
            Responses.json(
                ctx,
                201,
                grants.create(
                    Authorization.caller(ctx), bodies.read(ctx, Requests.CreateGrant.class))));
    r.get(
        "/v1/grants",
        ctx ->
            Responses.json(
                ctx,
                200,
                grants.list(
                    QueryParams.single(ctx, "secret_id"), QueryParams.single(ctx, "app_id"))));
    r.get(
        "/v1/grants/{grant_id}",
        ctx -> Responses.json(ctx, 200, grants.get(ctx.pathParam("grant_id"))));
    r.put(
        "/v1/grants/{grant_id}/policy",
        ctx ->
            Responses.json(
                ctx,
                200,
                grants.setPolicy(
                    Authorization.caller(ctx),
                    ctx.pathParam("grant_id"),
                    bodies.read(ctx, Requests.Policy.class))));
    r.post(
        "/v1/grants/{grant_id}/revoke",
        ctx -> {
          bodies.read(ctx, Requests.Empty.class);
          Responses.json(
              ctx, 200, grants.revoke(Authorization.caller(ctx), ctx.pathParam("grant_id")));
        });
  }
}
