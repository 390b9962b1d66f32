package dev.alter.service.portal;

import dev.alter.service.app.AuditTrail;
import dev.alter.service.http.HttpApi;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.time.Duration;

/**
 * The operator portal at {@code /portal/}: server-rendered pages (jte templates compiled at build
 * time) on the service's own port, calling the same application services as the REST API. Signed in
 * with an admin key exchanged for a server-side session.
 */
public final class Portal {
  private final PortalSessions sessions;
  private final boolean tls;
  private final SignInLimiter limiter;

  /**
   * @param idle a session ends after this long without a request
   * @param absolute and after this long in any case
   */
  public Portal(Clock clock, Duration idle, Duration absolute, boolean tls) {
    this.sessions = new PortalSessions(clock, idle, absolute);
    this.tls = tls;
    this.limiter = new SignInLimiter(clock, Duration.ofMinutes(5), 10, 100);
  }

  public void register(RoutesConfig r, HttpApi.Services s, AuditTrail audit) {
    PortalHttp http =
        new PortalHttp(
            sessions,
            tls,
            keyId ->
                s.adminKeys().list().keys().stream()
                    .anyMatch(k -> k.keyId().equals(keyId) && k.revokedAt() == null));
    new StaticAssets().register(r);
    new SignInPages(http, sessions, s.authenticator(), audit, limiter).register(r);
    new OperationsPages(http, s.apps(), s.secrets(), s.grants(), s.audit(), s.masterKeys())
        .register(r);
    new AppPages(
            http, s.apps(), s.secrets(), s.grants(), s.catalog(), s.idps(), s.agents(), s.usage())
        .register(r);
    new UserKeyPages(http, s.apps(), s.userSecretAllowances(), s.idps()).register(r);
    new GrantPages(http, s.grants()).register(r);
    new IdentityPages(http, s.idps(), s.agents()).register(r);
    // last: any other page under /portal/ is a readable 404, not the API's problem JSON
    r.get(
        PortalHttp.BASE + "/*",
        http.page((ctx, session) -> http.error(ctx, session, 404, "There is no such page.")));
  }
}
