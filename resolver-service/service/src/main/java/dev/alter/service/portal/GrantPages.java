package dev.alter.service.portal;

import static dev.alter.service.portal.PortalHttp.BASE;
import static dev.alter.service.portal.PortalHttp.params;

import dev.alter.service.app.ApiException;
import dev.alter.service.app.GrantService;
import dev.alter.service.app.Requests;
import dev.alter.service.app.Views;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.regex.Pattern;

/**
 * Grants: create one for a secret (system, user, group or agent), show its id and policy, change
 * its policy in place, revoke.
 */
final class GrantPages {
  /** What a {@code datetime-local} field sends: a UTC time without zone, to the minute. */
  private static final Pattern LOCAL_MINUTES =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}");

  private static final Pattern LOCAL_SECONDS =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}");

  private final PortalHttp http;
  private final GrantService grants;

  GrantPages(PortalHttp http, GrantService grants) {
    this.http = http;
    this.grants = grants;
  }

  void register(RoutesConfig r) {
    r.get(
        BASE + "/grants",
        http.page(
            (ctx, s) -> {
              String appId = QueryText.of(ctx, "app_id");
              http.render(
                  ctx,
                  200,
                  "grants",
                  s,
                  "Grants",
                  "grants",
                  params("grants", grants.list(null, appId).grants(), "appId", appId));
            }));
    r.post(
        BASE + "/grants",
        http.action(
            ctx -> BASE + "/secrets/" + ctx.formParam("secret_id"),
            (ctx, s) -> {
              Views.Grant grant = grants.create(s.caller(), request(ctx));
              s.flash("Grant created. Put its id in the app's alter-grant header.", false);
              return grantPage(grant.grantId());
            }));
    r.get(
        BASE + "/grants/{grant_id}",
        http.page(
            (ctx, s) -> {
              Views.Grant grant = grants.get(ctx.pathParam("grant_id"));
              http.render(
                  ctx,
                  200,
                  "grant",
                  s,
                  "Grant " + grant.label(),
                  "grants",
                  params("grant", grant, "policyDraft", PolicyText.json(grant.policy())));
            }));
    r.post(
        BASE + "/grants/{grant_id}/policy",
        http.action(
            ctx -> grantPage(ctx.pathParam("grant_id")),
            (ctx, s) -> {
              String grantId = ctx.pathParam("grant_id");
              String typed = ctx.formParam("policy");
              Views.Grant before = grants.get(grantId);
              Views.Grant after;
              try {
                after = grants.setPolicy(s.caller(), grantId, PolicyForm.read(typed));
              } catch (ApiException e) {
                // shown on the grant page with what was typed, so it can be corrected in place
                s.flash("Policy not changed: " + e.getMessage(), true);
                http.render(
                    ctx,
                    400,
                    "grant",
                    s,
                    "Grant " + before.label(),
                    "grants",
                    params("grant", before, "policyDraft", typed == null ? "" : typed));
                return null;
              }
              s.flash(policyNotice(before, after), false);
              return grantPage(grantId);
            }));
    r.get(
        BASE + "/grants/{grant_id}/revoke",
        http.page(
            (ctx, s) ->
                http.render(
                    ctx,
                    200,
                    "grant_revoke",
                    s,
                    "Revoke grant",
                    "grants",
                    params("grant", grants.get(ctx.pathParam("grant_id"))))));
    r.post(
        BASE + "/grants/{grant_id}/revoke",
        http.action(
            ctx -> grantPage(ctx.pathParam("grant_id")),
            (ctx, s) -> {
              Views.Grant revoked = grants.revoke(s.caller(), ctx.pathParam("grant_id"));
              s.flash(
                  "Grant revoked: the app's next request with it fails with grant_revoked.", false);
              return grantPage(revoked.grantId());
            }));
  }

  private static Requests.CreateGrant request(Context ctx) {
    String type = SecretForm.text(ctx, "principal_type");
    Requests.Principal principal =
        new Requests.Principal(
            type,
            "system".equals(type) ? SecretForm.text(ctx, "label") : null,
            "user".equals(type) ? SecretForm.text(ctx, "user_id") : null,
            "user".equals(type) || "group".equals(type) ? SecretForm.text(ctx, "idp_id") : null,
            "group".equals(type) ? SecretForm.text(ctx, "external_group_id") : null,
            "agent".equals(type) ? SecretForm.text(ctx, "agent_id") : null);
    return new Requests.CreateGrant(
        SecretForm.text(ctx, "secret_id"),
        SecretForm.text(ctx, "label"),
        principal,
        expiry(SecretForm.text(ctx, "expires_at")),
        PolicyForm.read(ctx.formParam("policy")));
  }

  /** The form's UTC local time as RFC 3339; anything else goes to the service as typed. */
  private static String expiry(String text) {
    if (text == null) {
      return null;
    }
    if (LOCAL_MINUTES.matcher(text).matches()) {
      return text + ":00Z";
    }
    if (LOCAL_SECONDS.matcher(text).matches()) {
      return text + "Z";
    }
    return text;
  }

  private static String policyNotice(Views.Grant before, Views.Grant after) {
    if (java.util.Objects.equals(before.policy(), after.policy())) {
      return "Policy unchanged.";
    }
    if (after.policy() == null) {
      return "Policy removed: the grant is limited only by its expiry. Running agents follow at"
          + " their next resolve or change event.";
    }
    return "Policy changed (same grant id): "
        + PolicyText.summary(after.policy())
        + ". Running agents follow at their next resolve or change event.";
  }

  private static String grantPage(String grantId) {
    return BASE + "/grants/" + grantId;
  }
}
