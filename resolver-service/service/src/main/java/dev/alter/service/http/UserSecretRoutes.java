package dev.alter.service.http;

import dev.alter.service.app.ApiException;
import dev.alter.service.app.Requests;
import dev.alter.service.app.UserSecretAllowanceService;
import dev.alter.service.app.UserSecretService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Keys an app's users upload: the operator's allowances under {@code
 * /v1/apps/{app_id}/user-secret-allowances} (admin keys) and the app backend's calls under {@link
 * #APP_PREFIX} (app keys, each with the user's JWT). Bodies here carry credentials and tokens:
 * never logged.
 */
final class UserSecretRoutes {
  /** The routes an app key (not an admin key) calls. */
  static final String APP_PREFIX = "/v1/user-secrets/";

  private final UserSecretAllowanceService allowances;
  private final UserSecretService uploads;
  private final JsonBodies bodies;

  UserSecretRoutes(
      UserSecretAllowanceService allowances, UserSecretService uploads, JsonBodies bodies) {
    this.allowances = allowances;
    this.uploads = uploads;
    this.bodies = bodies;
  }

  void register(RoutesConfig r) {
    r.get(
        "/v1/apps/{app_id}/user-secret-allowances",
        ctx -> Responses.json(ctx, 200, allowances.list(ctx.pathParam("app_id"))));
    r.put(
        "/v1/apps/{app_id}/user-secret-allowances/{provider}",
        ctx ->
            Responses.json(
                ctx,
                200,
                allowances.put(
                    Authorization.caller(ctx),
                    ctx.pathParam("app_id"),
                    ctx.pathParam("provider"),
                    bodies.read(ctx, Requests.AllowUserSecrets.class))));
    r.get(
        "/v1/apps/{app_id}/user-secret-allowances/{provider}",
        ctx ->
            Responses.json(
                ctx, 200, allowances.get(ctx.pathParam("app_id"), ctx.pathParam("provider"))));
    r.delete(
        "/v1/apps/{app_id}/user-secret-allowances/{provider}",
        ctx -> {
          allowances.delete(
              Authorization.caller(ctx), ctx.pathParam("app_id"), ctx.pathParam("provider"));
          ctx.status(204);
        });

    r.put(
        APP_PREFIX + "{provider}",
        ctx -> {
          var stored =
              uploads.store(Authorization.caller(ctx), ctx.pathParam("provider"), call(ctx));
          Responses.json(ctx, stored.created() ? 201 : 200, stored);
        });
    r.delete(
        APP_PREFIX + "{provider}",
        ctx -> {
          if (!uploads.delete(Authorization.caller(ctx), ctx.pathParam("provider"), call(ctx))) {
            throw ApiException.notFound("this user stores no key by that name for this provider");
          }
          ctx.status(204);
        });
    r.post(
        APP_PREFIX + "{provider}/status",
        ctx ->
            Responses.json(
                ctx,
                200,
                uploads.status(Authorization.caller(ctx), ctx.pathParam("provider"), call(ctx))));
  }

  private Requests.UserSecretCall call(Context ctx) {
    return bodies.read(ctx, Requests.UserSecretCall.class);
  }
}
