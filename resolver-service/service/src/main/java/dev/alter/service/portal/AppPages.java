package dev.alter.service.portal;

import static dev.alter.service.portal.PortalHttp.BASE;
import static dev.alter.service.portal.PortalHttp.params;

import dev.alter.service.app.AgentService;
import dev.alter.service.app.ApiException;
import dev.alter.service.app.AppService;
import dev.alter.service.app.GrantService;
import dev.alter.service.app.IdentityProviderService;
import dev.alter.service.app.Requests;
import dev.alter.service.app.SecretService;
import dev.alter.service.app.UsageService;
import dev.alter.service.app.Views;
import dev.alter.service.catalog.Provider;
import dev.alter.service.catalog.ProviderCatalog;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Apps, their keys and their managed secrets. Every change goes through the same services as the
 * REST API. A credential typed here goes into {@link SecretService} and the page after it shows
 * only the fingerprint (SECURITY.md invariant 1); a new app key is shown once, in the answer to the
 * POST that made it.
 */
final class AppPages {
  private final PortalHttp http;
  private final AppService apps;
  private final SecretService secrets;
  private final GrantService grants;
  private final ProviderCatalog catalog;
  private final IdentityProviderService idps;
  private final AgentService agents;
  private final UsageService usage;

  AppPages(
      PortalHttp http,
      AppService apps,
      SecretService secrets,
      GrantService grants,
      ProviderCatalog catalog,
      IdentityProviderService idps,
      AgentService agents,
      UsageService usage) {
    this.http = http;
    this.apps = apps;
    this.secrets = secrets;
    this.grants = grants;
    this.catalog = catalog;
    this.idps = idps;
    this.agents = agents;
    this.usage = usage;
  }

  void register(RoutesConfig r) {
    r.get(BASE + "/apps", http.page(this::appList));
    r.post(
        BASE + "/apps",
        http.action(
            ctx -> BASE + "/apps",
            (ctx, s) -> {
              Views.CreatedApp created =
                  apps.create(s.caller(), new Requests.CreateApp(SecretForm.text(ctx, "name")));
              showNewKey(ctx, s, created.appId(), created.name(), created.apiKey());
              return null;
            }));
    r.get(BASE + "/apps/{app_id}", http.page(this::app));
    r.post(
        BASE + "/apps/{app_id}/keys",
        http.action(
            AppPages::appPage,
            (ctx, s) -> {
              Views.App app = apps.get(ctx.pathParam("app_id"));
              showNewKey(ctx, s, app.appId(), app.name(), apps.createKey(s.caller(), app.appId()));
              return null;
            }));
    r.post(
        BASE + "/apps/{app_id}/keys/{key_id}/revoke",
        http.action(
            AppPages::appPage,
            (ctx, s) -> {
              if (!SecretForm.checked(ctx, "confirm")) {
                throw ApiException.invalid("tick the confirmation box to revoke the app key");
              }
              Views.Key key =
                  apps.revokeKey(s.caller(), ctx.pathParam("app_id"), ctx.pathParam("key_id"));
              s.flash("App key " + key.keyId() + " revoked.", false);
              return appPage(ctx);
            }));
    r.get(BASE + "/apps/{app_id}/secrets/new", http.page(this::newSecret));
    r.post(
        BASE + "/apps/{app_id}/secrets",
        http.action(
            ctx ->
                appPage(ctx)
                    + "/secrets/new?provider="
                    + (catalog.find(String.valueOf(ctx.formParam("provider"))).isPresent()
                        ? ctx.formParam("provider")
                        : ""),
            (ctx, s) -> {
              Views.Secret stored =
                  secrets.create(s.caller(), SecretForm.create(ctx, ctx.pathParam("app_id")));
              s.flash(
                  "Stored. Fingerprint "
                      + stored.fingerprint()
                      + " (the credential is not shown again).",
                  false);
              return secretPage(stored.secretId());
            }));
    r.get(BASE + "/secrets/{secret_id}", http.page(this::secret));
    r.post(
        BASE + "/secrets/{secret_id}/credential",
        http.action(
            ctx -> secretPage(ctx.pathParam("secret_id")),
            (ctx, s) -> {
              Views.Secret rotated =
                  secrets.rotate(s.caller(), ctx.pathParam("secret_id"), SecretForm.rotate(ctx));
              s.flash(
                  "Credential updated to version "
                      + rotated.version()
                      + ", fingerprint "
                      + rotated.fingerprint()
                      + ". Grant ids keep working.",
                  false);
              return secretPage(rotated.secretId());
            }));
    r.post(
        BASE + "/secrets/{secret_id}/settings",
        http.action(
            ctx -> secretPage(ctx.pathParam("secret_id")),
            (ctx, s) -> {
              Views.Secret updated =
                  secrets.update(s.caller(), ctx.pathParam("secret_id"), SecretForm.update(ctx));
              s.flash("Destinations and injection saved.", false);
              return secretPage(updated.secretId());
            }));
    r.get(
        BASE + "/secrets/{secret_id}/delete",
        http.page(
            (ctx, s) ->
                http.render(
                    ctx,
                    200,
                    "secret_delete",
                    s,
                    "Delete secret",
                    "apps",
                    params("secret", secrets.get(ctx.pathParam("secret_id"))))));
    r.post(
        BASE + "/secrets/{secret_id}/delete",
        http.action(
            ctx -> secretPage(ctx.pathParam("secret_id")),
            (ctx, s) -> {
              Views.Secret secret = secrets.get(ctx.pathParam("secret_id"));
              secrets.delete(s.caller(), secret.secretId());
              s.flash(
                  "Secret " + secret.secretId() + " deleted; its grants no longer resolve.", false);
              return BASE + "/apps/" + secret.appId();
            }));
  }

  private void appList(Context ctx, PortalSessions.Session s) {
    http.render(ctx, 200, "apps", s, "Apps", "apps", params("apps", apps.list().apps()));
  }

  private void app(Context ctx, PortalSessions.Session s) {
    Views.App app = apps.get(ctx.pathParam("app_id"));
    http.render(
        ctx,
        200,
        "app",
        s,
        "App " + app.name(),
        "apps",
        params(
            "app",
            app,
            "keys",
            apps.listKeys(app.appId()).keys(),
            "secrets",
            secrets.list(app.appId()).secrets()));
  }

  private void showNewKey(
      Context ctx, PortalSessions.Session s, String appId, String appName, Views.NewKey key) {
    http.render(
        ctx,
        201,
        "key_created",
        s,
        "New app key",
        "apps",
        params("appId", appId, "appName", appName, "key", key));
  }

  private void newSecret(Context ctx, PortalSessions.Session s) {
    Views.App app = apps.get(ctx.pathParam("app_id"));
    String providerId = ctx.queryParam("provider");
    Provider provider = null;
    if (providerId != null && !providerId.isEmpty()) {
      provider =
          catalog
              .find(providerId)
              .orElseThrow(() -> ApiException.notFound("the catalog has no such provider"));
    }
    http.render(
        ctx,
        200,
        provider == null ? "catalog" : "secret_new",
        s,
        provider == null ? "Choose a provider" : "Store a " + provider.name() + " credential",
        "apps",
        params("app", app, "providers", catalog.all(), "provider", provider));
  }

  private void secret(Context ctx, PortalSessions.Session s) {
    Views.Secret secret = secrets.get(ctx.pathParam("secret_id"));
    secret = secret.withProviderRejection(usage.rejection(secret.secretId()));
    Provider provider = catalog.find(secret.provider()).orElse(null);
    http.render(
        ctx,
        200,
        "secret",
        s,
        "Secret " + secret.label(),
        "apps",
        params(
            "secret",
            secret,
            "provider",
            provider,
            "grants",
            grants.list(secret.secretId(), null).grants(),
            "idps",
            idps.list().idps(),
            "agents",
            agents.list().agents()));
  }

  private static String appPage(Context ctx) {
    return BASE + "/apps/" + ctx.pathParam("app_id");
  }

  private static String secretPage(String secretId) {
    return BASE + "/secrets/" + secretId;
  }
}
