package dev.alter.service.portal;

import static dev.alter.service.portal.PortalHttp.BASE;
import static dev.alter.service.portal.PortalHttp.params;

import dev.alter.contract.InjectionSpec;
import dev.alter.service.app.ApiException;
import dev.alter.service.app.AppService;
import dev.alter.service.app.IdentityProviderService;
import dev.alter.service.app.Requests;
import dev.alter.service.app.UserSecretAllowanceService;
import dev.alter.service.app.Views;
import dev.alter.service.catalog.Provider;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An app's allowances for keys its users upload: which providers, where those keys may go and how
 * they are injected (the catalog's or narrower), whose users may upload, how many keys each may
 * keep. Every change goes through {@link UserSecretAllowanceService}, so the portal refuses exactly
 * what the REST API refuses, with the same message.
 */
final class UserKeyPages {
  private final PortalHttp http;
  private final AppService apps;
  private final UserSecretAllowanceService allowances;
  private final IdentityProviderService idps;

  UserKeyPages(
      PortalHttp http,
      AppService apps,
      UserSecretAllowanceService allowances,
      IdentityProviderService idps) {
    this.http = http;
    this.apps = apps;
    this.allowances = allowances;
    this.idps = idps;
  }

  void register(RoutesConfig r) {
    r.get(BASE + "/apps/{app_id}/user-keys", http.page(this::page));
    r.post(
        BASE + "/apps/{app_id}/user-keys",
        http.action(
            ctx -> page(ctx.pathParam("app_id"), ctx.formParam("provider")),
            (ctx, s) -> {
              String appId = ctx.pathParam("app_id");
              Provider provider = uploadable(SecretForm.text(ctx, "provider"));
              Views.UserSecretAllowance saved =
                  allowances.put(s.caller(), appId, provider.id(), request(ctx, provider));
              s.flash(
                  "Users of this app may upload "
                      + provider.name()
                      + " keys: "
                      + String.join(", ", saved.destinations())
                      + ", up to "
                      + saved.maxPerUser()
                      + " per user.",
                  false);
              return page(appId, null);
            }));
    r.post(
        BASE + "/apps/{app_id}/user-keys/{provider}/delete",
        http.action(
            ctx -> page(ctx.pathParam("app_id"), null),
            (ctx, s) -> {
              if (!SecretForm.checked(ctx, "confirm")) {
                throw ApiException.invalid(
                    "tick the confirmation box to stop users uploading keys for this provider");
              }
              String appId = ctx.pathParam("app_id");
              Views.UserSecretAllowance before = allowances.get(appId, ctx.pathParam("provider"));
              allowances.delete(s.caller(), appId, before.provider());
              s.flash(
                  "Users of this app may no longer upload "
                      + before.provider()
                      + " keys; "
                      + before.storedKeys()
                      + " uploaded key(s) deleted and their grants revoked.",
                  false);
              return page(appId, null);
            }));
  }

  private void page(Context ctx, PortalSessions.Session s) {
    Views.App app = apps.get(ctx.pathParam("app_id"));
    List<Views.UserSecretAllowance> current = allowances.list(app.appId()).allowances();
    String chosen = ctx.queryParam("provider");
    Provider provider = chosen == null || chosen.isBlank() ? null : uploadable(chosen);
    Views.UserSecretAllowance editing =
        provider == null
            ? null
            : current.stream()
                .filter(a -> a.provider().equals(provider.id()))
                .findFirst()
                .orElse(null);
    http.render(
        ctx,
        200,
        "user_keys",
        s,
        "Keys users upload · " + app.name(),
        "apps",
        params(
            "app",
            app,
            "allowances",
            current,
            "providers",
            allowances.uploadableProviders(),
            "idps",
            idps.list().idps(),
            "provider",
            provider,
            "editing",
            editing));
  }

  private Provider uploadable(String providerId) {
    Optional<Provider> found =
        allowances.uploadableProviders().stream()
            .filter(p -> p.id().equals(providerId))
            .findFirst();
    return found.orElseThrow(
        () ->
            ApiException.invalid(
                "choose a catalog provider whose key a user can paste (one key, no other parts)"));
  }

  private static Requests.AllowUserSecrets request(Context ctx, Provider provider) {
    return new Requests.AllowUserSecrets(
        lines(ctx.formParam("destinations")),
        injection(ctx.formParams("header"), provider),
        ctx.formParams("idp_id"),
        SecretForm.number(ctx, "max_per_user"));
  }

  /**
   * The catalog's headers the operator kept ticked; null (the catalog's injection) when all are, or
   * when the catalog injects some other way than headers.
   */
  private static InjectionSpec injection(List<String> ticked, Provider provider) {
    InjectionSpec catalog = provider.injection();
    if (catalog == null || !InjectionSpec.HEADER.equals(catalog.getType())) {
      return null;
    }
    List<InjectionSpec.HeaderTemplate> kept = new ArrayList<>();
    for (InjectionSpec.HeaderTemplate h : catalog.getHeaders()) {
      if (ticked.stream().anyMatch(t -> t.equalsIgnoreCase(h.getName()))) {
        kept.add(h);
      }
    }
    if (kept.size() == catalog.getHeaders().size()) {
      return null;
    }
    if (kept.isEmpty()) {
      throw ApiException.invalid(
          "tick at least the header that carries the key ({credential}); an uploaded key must go"
              + " somewhere");
    }
    return InjectionSpec.headers(kept);
  }

  /** One destination per line; null (the catalog's) when empty. */
  private static List<String> lines(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    List<String> list = new ArrayList<>();
    for (String line : text.split("[\\r\\n]+")) {
      if (!line.isBlank()) {
        list.add(line.trim());
      }
    }
    return list;
  }

  private static String page(String appId, String provider) {
    String base = BASE + "/apps/" + appId + "/user-keys";
    if (provider == null || provider.isBlank()) {
      return base;
    }
    return base
        + "?provider="
        + URLEncoder.encode(provider.toLowerCase(Locale.ROOT), StandardCharsets.UTF_8);
  }
}
