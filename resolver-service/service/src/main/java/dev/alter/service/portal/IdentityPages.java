package dev.alter.service.portal;

import static dev.alter.service.portal.PortalHttp.BASE;
import static dev.alter.service.portal.PortalHttp.params;

import dev.alter.service.app.AgentService;
import dev.alter.service.app.IdentityProviderService;
import dev.alter.service.app.Requests;
import dev.alter.service.app.Views;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;

/**
 * Identity providers (whose tokens user and group grants trust) and managed agents (whose tokens
 * agent grants trust). An agent token is shown once, in the answer to the POST that made it.
 */
final class IdentityPages {
  private static final String PAGE = BASE + "/identity";

  private final PortalHttp http;
  private final IdentityProviderService idps;
  private final AgentService agents;

  IdentityPages(PortalHttp http, IdentityProviderService idps, AgentService agents) {
    this.http = http;
    this.idps = idps;
    this.agents = agents;
  }

  void register(RoutesConfig r) {
    r.get(
        PAGE,
        http.page(
            (ctx, s) ->
                http.render(
                    ctx,
                    200,
                    "identity",
                    s,
                    "Identity providers and agents",
                    "identity",
                    params("idps", idps.list().idps(), "agents", agents.list().agents()))));
    r.post(
        BASE + "/idps",
        http.action(
            ctx -> PAGE,
            (ctx, s) -> {
              Views.Idp idp = idps.create(s.caller(), createIdp(ctx));
              s.flash("Identity provider " + idp.idpId() + " added.", false);
              return PAGE;
            }));
    r.get(
        BASE + "/idps/{idp_id}",
        http.page(
            (ctx, s) -> {
              Views.Idp idp = idps.get(ctx.pathParam("idp_id"));
              http.render(ctx, 200, "idp", s, "Identity provider", "identity", params("idp", idp));
            }));
    r.post(
        BASE + "/idps/{idp_id}",
        http.action(
            ctx -> BASE + "/idps/" + ctx.pathParam("idp_id"),
            (ctx, s) -> {
              Views.Idp idp = idps.update(s.caller(), ctx.pathParam("idp_id"), updateIdp(ctx));
              s.flash("Identity provider " + idp.idpId() + " saved.", false);
              return BASE + "/idps/" + idp.idpId();
            }));
    r.post(
        BASE + "/idps/{idp_id}/delete",
        http.action(
            ctx -> BASE + "/idps/" + ctx.pathParam("idp_id"),
            (ctx, s) -> {
              if (!SecretForm.checked(ctx, "confirm")) {
                throw dev.alter.service.app.ApiException.invalid(
                    "tick the confirmation box to delete the identity provider");
              }
              idps.delete(s.caller(), ctx.pathParam("idp_id"));
              s.flash("Identity provider deleted.", false);
              return PAGE;
            }));
    r.post(
        BASE + "/agents",
        http.action(
            ctx -> PAGE,
            (ctx, s) -> {
              Views.CreatedAgent agent =
                  agents.create(
                      s.caller(), new Requests.CreateAgent(SecretForm.text(ctx, "label")));
              showToken(ctx, s, agent.agentId(), agent.label(), agent.token());
              return null;
            }));
    r.post(
        BASE + "/agents/{agent_id}/token",
        http.action(
            ctx -> PAGE,
            (ctx, s) -> {
              Views.Agent agent = agents.get(ctx.pathParam("agent_id"));
              Views.NewAgentToken token = agents.rotateToken(s.caller(), agent.agentId());
              showToken(ctx, s, agent.agentId(), agent.label(), token.token());
              return null;
            }));
    r.post(
        BASE + "/agents/{agent_id}/revoke",
        http.action(
            ctx -> PAGE,
            (ctx, s) -> {
              if (!SecretForm.checked(ctx, "confirm")) {
                throw dev.alter.service.app.ApiException.invalid(
                    "tick the confirmation box to revoke the agent");
              }
              Views.Agent agent = agents.revoke(s.caller(), ctx.pathParam("agent_id"));
              s.flash(
                  "Agent " + agent.agentId() + " revoked; its grants no longer resolve.", false);
              return PAGE;
            }));
  }

  private void showToken(
      Context ctx, PortalSessions.Session s, String agentId, String label, String token) {
    http.render(
        ctx,
        201,
        "agent_token",
        s,
        "Agent token",
        "identity",
        params("agentId", agentId, "label", label, "token", token));
  }

  private static Requests.CreateIdp createIdp(Context ctx) {
    return new Requests.CreateIdp(
        SecretForm.text(ctx, "issuer"),
        SecretForm.text(ctx, "jwks_url"),
        SecretForm.text(ctx, "jwks"),
        SecretForm.text(ctx, "jwks_pem"),
        list(ctx, "audiences"),
        list(ctx, "algorithms"),
        SecretForm.number(ctx, "clock_skew_seconds"),
        SecretForm.text(ctx, "user_claim"),
        SecretForm.text(ctx, "group_claim"));
  }

  private static Requests.UpdateIdp updateIdp(Context ctx) {
    return new Requests.UpdateIdp(
        SecretForm.text(ctx, "issuer"),
        SecretForm.text(ctx, "jwks_url"),
        SecretForm.text(ctx, "jwks"),
        SecretForm.text(ctx, "jwks_pem"),
        list(ctx, "audiences"),
        list(ctx, "algorithms"),
        SecretForm.number(ctx, "clock_skew_seconds"),
        SecretForm.text(ctx, "user_claim"),
        SecretForm.text(ctx, "group_claim"));
  }

  /** Comma- or line-separated values; null when empty. */
  private static List<String> list(Context ctx, String name) {
    String text = SecretForm.text(ctx, name);
    return text == null
        ? null
        : Arrays.stream(text.split("[,\\s]+")).filter(v -> !v.isBlank()).toList();
  }
}
