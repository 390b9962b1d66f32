package dev.alter.service.http;

import dev.alter.service.app.Requests;
import dev.alter.service.app.SecretService;
import dev.alter.service.app.UsageService;
import io.javalin.config.RoutesConfig;

/** {@code /v1/secrets}: managed secrets. Bodies here carry credentials: never logged. */
final class SecretRoutes {
  private final SecretService secrets;
  private final UsageService usage;
  private final JsonBodies bodies;

  SecretRoutes(SecretService secrets, UsageService usage, JsonBodies bodies) {
    this.secrets = secrets;
    this.usage = usage;
    this.bodies = bodies;
  }

  void register(RoutesConfig r) {
    r.post(
        "/v1/secrets",
        ctx ->
            Responses.json(
                ctx,
                201,
                secrets.create(
                    Authorization.caller(ctx), bodies.read(ctx, Requests.CreateSecret.class))));
    r.get(
        "/v1/secrets",
        ctx -> Responses.json(ctx, 200, secrets.list(QueryParams.single(ctx, "app_id"))));
    r.get(
        "/v1/secrets/{secret_id}",
        ctx -> {
          String secretId = ctx.pathParam("secret_id");
          Responses.json(
              ctx, 200, secrets.get(secretId).withProviderRejection(usage.rejection(secretId)));
        });
    r.put(
        "/v1/secrets/{secret_id}/credential",
        ctx ->
            Responses.json(
                ctx,
                200,
                secrets.rotate(
                    Authorization.caller(ctx),
                    ctx.pathParam("secret_id"),
                    bodies.read(ctx, Requests.RotateCredential.class))));
    r.patch(
        "/v1/secrets/{secret_id}",
        ctx ->
            Responses.json(
                ctx,
                200,
                secrets.update(
                    Authorization.caller(ctx),
                    ctx.pathParam("secret_id"),
                    bodies.read(ctx, Requests.UpdateSecret.class))));
    r.delete(
        "/v1/secrets/{secret_id}",
        ctx -> {
          secrets.delete(Authorization.caller(ctx), ctx.pathParam("secret_id"));
          ctx.status(204);
        });
  }
}
