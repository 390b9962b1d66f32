package dev.alter.service.http;

import dev.alter.service.app.AppService;
import dev.alter.service.app.Requests;
import io.javalin.config.RoutesConfig;

/** {@code /v1/apps}: apps and their keys. */
final class AppRoutes {
  private final AppService apps;
  private final JsonBodies bodies;

  AppRoutes(AppService apps, JsonBodies bodies) {
    this.apps = apps;
    this.bodies = bodies;
  }

  void register(RoutesConfig r) {
    r.post(
        "/v1/apps",
        ctx ->
            Responses.json(
                ctx,
                201,
                apps.create(
                    Authorization.caller(ctx), bodies.read(ctx, Requests.CreateApp.class))));
    r.get("/v1/apps", ctx -> Responses.json(ctx, 200, apps.list()));
    r.get("/v1/apps/{app_id}", ctx -> Responses.json(ctx, 200, apps.get(ctx.pathParam("app_id"))));
    r.post(
        "/v1/apps/{app_id}/keys",
        ctx -> {
          bodies.read(ctx, Requests.Empty.class);
          Responses.json(
              ctx, 201, apps.createKey(Authorization.caller(ctx), ctx.pathParam("app_id")));
        });
    r.get(
        "/v1/apps/{app_id}/keys",
        ctx -> Responses.json(ctx, 200, apps.listKeys(ctx.pathParam("app_id"))));
    r.delete(
        "/v1/apps/{app_id}/keys/{key_id}",
        ctx ->
            Responses.json(
                ctx,
                200,
                apps.revokeKey(
                    Authorization.caller(ctx), ctx.pathParam("app_id"), ctx.pathParam("key_id"))));
  }
}
