package dev.alter.service.portal;

import dev.alter.service.app.ApiException;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What every portal route shares: the security headers, the session cookie, rendering a compiled
 * template, and the two handler shapes: a page (signed in, or sent to sign in) and an action (a
 * POST, signed in and carrying the session's CSRF token; refused requests change nothing and {@link
 * ApiException}s come back as a readable notice on the page the action returns to).
 */
final class PortalHttp {
  static final String BASE = "/portal";
  static final String SIGN_IN = BASE + "/sign-in";

  /**
   * No inline script or style anywhere: the stylesheet and script are files under {@code
   * /portal/static/}.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
          + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private static final String SESSION_COOKIE = "alter_portal";

  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
  private final PortalSessions sessions;
  private final boolean tls;
  private final Predicate<String> adminKeyLive;

  interface Page {
    void show(Context ctx, PortalSessions.Session session) throws Exception;
  }

  /** Does the work and answers the location to send the browser to, or null if it rendered. */
  interface Action {
    String run(Context ctx, PortalSessions.Session session) throws Exception;
  }

  /**
   * @param adminKeyLive whether the admin key (by id) a session was opened with is still live: a
   *     revoked key ends its sessions at their next request
   */
  PortalHttp(PortalSessions sessions, boolean tls, Predicate<String> adminKeyLive) {
    this.sessions = sessions;
    this.tls = tls;
    this.adminKeyLive = adminKeyLive;
  }

  /** The request's live session, or empty (and the session ended if its key was revoked). */
  Optional<PortalSessions.Session> session(Context ctx) {
    String cookie = cookie(ctx);
    Optional<PortalSessions.Session> found = sessions.find(cookie);
    if (found.isPresent() && !adminKeyLive.test(found.get().caller().keyId())) {
      sessions.end(cookie);
      return Optional.empty();
    }
    return found;
  }

  static void securityHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Cross-Origin-Opener-Policy", "same-origin");
  }

  Handler page(Page page) {
    return ctx -> {
      Optional<PortalSessions.Session> session = session(ctx);
      if (session.isEmpty()) {
        ctx.redirect(
            SIGN_IN + "?expired=" + (cookie(ctx) != null), io.javalin.http.HttpStatus.SEE_OTHER);
        return;
      }
      try {
        page.show(ctx, session.get());
      } catch (ApiException e) {
        error(ctx, session.get(), e.code().httpStatus(), e.getMessage());
      }
    };
  }

  /**
   * @param back where a refused action (bad input) returns, with the reason as a notice
   */
  Handler action(Function<Context, String> back, Action action) {
    return ctx -> {
      Optional<PortalSessions.Session> found = session(ctx);
      if (found.isEmpty()) {
        ctx.redirect(
            SIGN_IN + "?expired=" + (cookie(ctx) != null), io.javalin.http.HttpStatus.SEE_OTHER);
        return;
      }
      PortalSessions.Session session = found.get();
      if (!session.csrfMatches(ctx.formParam("csrf"))) {
        error(
            ctx,
            session,
            403,
            "This form did not carry this session's security token (CSRF check failed), so "
                + "nothing was changed. Reload the page and try again.");
        return;
      }
      String location;
      try {
        location = action.run(ctx, session);
      } catch (ApiException e) {
        session.flash(e.getMessage(), true);
        location = back.apply(ctx);
      }
      if (location != null) {
        ctx.redirect(location, io.javalin.http.HttpStatus.SEE_OTHER);
      }
    };
  }

  void render(
      Context ctx,
      int status,
      String template,
      PortalSessions.Session session,
      String title,
      String section,
      Map<String, Object> params) {
    Map<String, Object> all = new HashMap<>(params);
    all.put(
        "frame",
        new PageFrame(
            title,
            section,
            session == null ? null : session.csrfToken(),
            session == null ? null : session.takeFlash()));
    StringOutput out = new StringOutput();
    templates.render("portal/" + template + ".jte", all, out);
    securityHeaders(ctx);
    ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
  }

  void error(Context ctx, PortalSessions.Session session, int status, String message) {
    render(ctx, status, "error", session, "Not done", "", Map.of("message", message));
  }

  String cookie(Context ctx) {
    return ctx.cookie(SESSION_COOKIE);
  }

  void setSessionCookie(Context ctx, String value) {
    ctx.header(
        "Set-Cookie",
        SESSION_COOKIE
            + "="
            + value
            + "; Path="
            + BASE
            + "; Max-Age="
            + sessions.absoluteLifetime().toSeconds()
            + "; HttpOnly; SameSite=Strict"
            + (tls ? "; Secure" : ""));
  }

  void clearSessionCookie(Context ctx) {
    ctx.header(
        "Set-Cookie",
        SESSION_COOKIE
            + "=; Path="
            + BASE
            + "; Max-Age=0; HttpOnly; SameSite=Strict"
            + (tls ? "; Secure" : ""));
  }

  static Map<String, Object> params(Object... keyValues) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }
}
