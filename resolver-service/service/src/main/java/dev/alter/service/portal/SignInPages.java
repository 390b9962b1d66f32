package dev.alter.service.portal;

import static dev.alter.service.portal.PortalHttp.params;

import dev.alter.contract.WireFormat;
import dev.alter.service.app.AuditTrail;
import dev.alter.service.app.Caller;
import dev.alter.service.app.KeyAuthenticator;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Sign-in with an admin key, exchanged for a server-side session (the key is checked once and then
 * forgotten: it is never stored, echoed, logged or audited), and sign-out. Failed sign-ins are
 * rate-limited per address and in total, and audited as {@code portal.sign_in} denials. The sign-in
 * form carries a token that must match a cookie set with it, so another site cannot sign a browser
 * in to its own session.
 */
final class SignInPages {
  private static final String SIGN_IN_COOKIE = "alter_portal_signin";

  private final PortalHttp http;
  private final PortalSessions sessions;
  private final KeyAuthenticator authenticator;
  private final AuditTrail audit;
  private final SignInLimiter limiter;

  SignInPages(
      PortalHttp http,
      PortalSessions sessions,
      KeyAuthenticator authenticator,
      AuditTrail audit,
      SignInLimiter limiter) {
    this.http = http;
    this.sessions = sessions;
    this.authenticator = authenticator;
    this.audit = audit;
    this.limiter = limiter;
  }

  void register(RoutesConfig r) {
    r.get(PortalHttp.SIGN_IN, this::form);
    r.post(PortalHttp.SIGN_IN, this::signIn);
    r.post(PortalHttp.BASE + "/sign-out", this::signOut);
  }

  private void form(Context ctx) {
    boolean expired = "true".equals(ctx.queryParam("expired"));
    showForm(
        ctx, 200, expired ? "Your session has ended. Sign in again to continue." : null, false);
  }

  private void showForm(Context ctx, int status, String message, boolean error) {
    String token = PortalSessions.randomToken();
    ctx.header(
        "Set-Cookie",
        SIGN_IN_COOKIE
            + "="
            + token
            + "; Path="
            + PortalHttp.SIGN_IN
            + "; Max-Age=1800; HttpOnly; SameSite=Strict"
            + (ctx.req().isSecure() ? "; Secure" : ""));
    http.render(
        ctx,
        status,
        "sign_in",
        null,
        "Sign in",
        "",
        params("signInToken", token, "message", message, "error", error));
  }

  private void signIn(Context ctx) {
    String address = ctx.ip();
    long wait = limiter.retryAfterSeconds(address);
    if (wait > 0) {
      ctx.header("Retry-After", Long.toString(wait));
      showForm(ctx, 429, "Too many failed sign-ins. Try again in " + wait + " seconds.", true);
      return;
    }
    String expected = ctx.cookie(SIGN_IN_COOKIE);
    String presented = ctx.formParam("sign_in_token");
    if (expected == null
        || presented == null
        || !MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            presented.getBytes(StandardCharsets.US_ASCII))) {
      showForm(ctx, 403, "The sign-in form had expired or came from elsewhere. Try again.", true);
      return;
    }
    String key = ctx.formParam("admin_key");
    Optional<Caller> caller = adminCaller(key);
    if (caller.isEmpty()) {
      limiter.recordFailure(address);
      // the presented text stays out of the audit: it may be a real key with a typo
      audit.writeCommitted(
          AuditTrail.event("portal", "portal.sign_in", AuditTrail.DENIED)
              .reason("admin key not accepted, from " + address));
      showForm(ctx, 401, "That is not a live admin key.", true);
      return;
    }
    PortalSessions.Started started = sessions.start(caller.get());
    audit.writeCommitted(
        AuditTrail.event(caller.get().actor(), "portal.sign_in", AuditTrail.OK)
            .reason("from " + address));
    http.setSessionCookie(ctx, started.cookieValue());
    PortalHttp.securityHeaders(ctx);
    ctx.redirect(PortalHttp.BASE + "/", HttpStatus.SEE_OTHER);
  }

  private Optional<Caller> adminCaller(String key) {
    if (key == null || !key.strip().startsWith(WireFormat.ADMIN_KEY_PREFIX)) {
      return Optional.empty();
    }
    return authenticator
        .authenticate("Bearer " + key.strip(), () -> null)
        .map(KeyAuthenticator.Authenticated::caller)
        .filter(c -> c.kind() == Caller.Kind.ADMIN);
  }

  private void signOut(Context ctx) {
    String cookie = http.cookie(ctx);
    Optional<PortalSessions.Session> session = http.session(ctx);
    if (session.isPresent() && session.get().csrfMatches(ctx.formParam("csrf"))) {
      sessions.end(cookie);
      audit.writeCommitted(
          AuditTrail.event(session.get().caller().actor(), "portal.sign_out", AuditTrail.OK));
    } else if (session.isPresent()) {
      http.error(ctx, session.get(), 403, "Sign-out needs this session's security token.");
      return;
    }
    http.clearSessionCookie(ctx);
    PortalHttp.securityHeaders(ctx);
    ctx.redirect(PortalHttp.SIGN_IN, HttpStatus.SEE_OTHER);
  }
}
