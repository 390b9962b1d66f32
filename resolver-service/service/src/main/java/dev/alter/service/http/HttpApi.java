package dev.alter.service.http;

import dev.alter.contract.ErrorCode;
import dev.alter.contract.PolicyRefusalReport;
import dev.alter.contract.WireFormat;
import dev.alter.service.ServiceConfig;
import dev.alter.service.app.AdminKeyService;
import dev.alter.service.app.AgentService;
import dev.alter.service.app.ApiException;
import dev.alter.service.app.AppService;
import dev.alter.service.app.AuditOut;
import dev.alter.service.app.AuditQueryService;
import dev.alter.service.app.AuditTrail;
import dev.alter.service.app.GrantService;
import dev.alter.service.app.IdentityProviderService;
import dev.alter.service.app.KeyAuthenticator;
import dev.alter.service.app.MasterKeyService;
import dev.alter.service.app.PolicyRefusalService;
import dev.alter.service.app.Readiness;
import dev.alter.service.app.ResolveService;
import dev.alter.service.app.SecretService;
import dev.alter.service.app.StoreFailures;
import dev.alter.service.app.UsageService;
import dev.alter.service.app.UserSecretAllowanceService;
import dev.alter.service.app.UserSecretService;
import dev.alter.service.catalog.ProviderCatalog;
import dev.alter.service.live.ChangeFeed;
import dev.alter.service.portal.Portal;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of the service: Javalin routes (no logic), authorization, problem answers, request
 * metrics and a request log line that never includes a body.
 */
public final class HttpApi {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  /**
   * How much of a body the service did not read it still reads and drops, so the answer arrives.
   */
  private static final long UNREAD_BODY_DRAIN_BYTES = 1024 * 1024;

  private static final Logger ACCESS = LoggerFactory.getLogger("dev.alter.service.access");

  /** The path stays out: it is the caller's text and may carry anything. */
  private static final String NO_SUCH_ENDPOINT =
      "no such endpoint for this method and path; API.md lists them";

  /** The application services the routes call. */
  public record Services(
      AppService apps,
      SecretService secrets,
      GrantService grants,
      ResolveService resolves,
      AuditQueryService audit,
      MasterKeyService masterKeys,
      AdminKeyService adminKeys,
      KeyAuthenticator authenticator,
      ProviderCatalog catalog,
      Readiness readiness,
      IdentityProviderService idps,
      AgentService agents,
      UserSecretAllowanceService userSecretAllowances,
      UserSecretService userSecrets,
      ChangeFeed changeFeed,
      AuditTrail trail,
      PolicyRefusalService policyRefusals,
      AuditOut auditOut,
      UsageService usage) {}

  private HttpApi() {}

  /** The matched route template (ids stay out of metric labels), or "unmatched". */
  private static String routeOf(io.javalin.http.Context ctx) {
    try {
      // The matched HTTP endpoint, not ctx.endpoint(): that is the after-handler by now.
      io.javalin.router.Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
      return endpoint == null ? "unmatched" : endpoint.path;
    } catch (RuntimeException noEndpoint) {
      return "unmatched";
    }
  }

  private static void problem(io.javalin.http.Context ctx, ApiException e) {
    Responses.problem(ctx, e.code(), e.getMessage(), e.grantId());
  }

  public static Javalin create(ServiceConfig config, Services s, PrometheusMeterRegistry metrics) {
    JsonBodies bodies = new JsonBodies(config.maxBodyBytes());
    Authorization authorization = new Authorization(s.authenticator(), s.resolves(), bodies);
    return Javalin.create(
        cfg -> {
          cfg.startup.showJavalinBanner = false;
          cfg.startup.showOldJavalinVersionWarning = false;
          cfg.http.maxRequestSize = config.maxBodyBytes();
          cfg.http.defaultContentType = "application/json";
          // Answers are small JSON; compressing them costs CPU per request, and compressing a body
          // that carries a sealed credential next to attacker-chosen fields is never worth it.
          cfg.http.compressionStrategy = CompressionStrategy.NONE;
          cfg.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
          cfg.jetty.modifyServletContextHandler(
              context -> context.setErrorHandler(new ProblemErrorHandler()));
          cfg.jetty.addConnector(
              (server, httpConfig) -> {
                httpConfig.setSendServerVersion(false);
                // Jetty caches header fields per connection and by default matches the cache
                // without
                // regard to case: an "Authorization: Bearer <KEY>" after "Bearer <key>" on the same
                // connection would be read as the earlier (valid) value. Keys are case-sensitive.
                httpConfig.setHeaderCacheCaseSensitive(true);
                ServerConnector connector;
                if (config.usesTls()) {
                  SslContextFactory.Server ssl = new SslContextFactory.Server();
                  ssl.setKeyStorePath(config.tlsKeystore().toAbsolutePath().toString());
                  ssl.setKeyStoreType("PKCS12");
                  if (config.tlsKeystorePassword() != null) {
                    ssl.setKeyStorePassword(config.tlsKeystorePassword());
                  }
                  HttpConfiguration https = new HttpConfiguration(httpConfig);
                  SecureRequestCustomizer secure = new SecureRequestCustomizer();
                  secure.setSniHostCheck(false);
                  https.addCustomizer(secure);
                  connector =
                      new ServerConnector(
                          server,
                          new SslConnectionFactory(ssl, "http/1.1"),
                          new HttpConnectionFactory(https));
                } else {
                  connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                }
                connector.setHost(config.bindHost());
                connector.setPort(config.port());
                return connector;
              });
          RequestTimers timers = new RequestTimers(metrics);
          cfg.requestLogger.http(
              (ctx, millis) -> {
                String route = routeOf(ctx);
                int status = ctx.statusCode();
                timers
                    .of(ctx.method().name(), route, status)
                    .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
                // Off by default (ALTER_ACCESS_LOG=INFO turns it on): a line per resolve costs more
                // than
                // the resolve's own bookkeeping. Method, route template and status only: never
                // bodies,
                // query strings or headers.
                if (ACCESS.isInfoEnabled()) {
                  ACCESS.info(
                      "{} {} {} {}ms",
                      ctx.method().name(),
                      route,
                      status,
                      Math.round(millis * 10) / 10.0);
                }
              });

          cfg.routes.beforeMatched(authorization::check);
          // After every request, including rejected ones: read what the client still sends.
          UnreadBodyDrain drain =
              new UnreadBodyDrain(Math.max(UNREAD_BODY_DRAIN_BYTES, 4 * config.maxBodyBytes()));
          cfg.routes.after(drain::drain);
          new AppRoutes(s.apps(), bodies).register(cfg.routes);
          new SecretRoutes(s.secrets(), s.usage(), bodies).register(cfg.routes);
          new GrantRoutes(s.grants(), bodies).register(cfg.routes);
          new IdentityRoutes(s.idps(), s.agents(), bodies).register(cfg.routes);
          new ResolveRoutes(s.resolves(), bodies, new ClientAddress(config.trustedProxies()))
              .register(cfg.routes);
          cfg.routes.post(
              WireFormat.POLICY_REFUSALS_PATH,
              ctx ->
                  Responses.json(
                      ctx,
                      202,
                      s.policyRefusals()
                          .record(
                              Authorization.caller(ctx),
                              bodies.read(ctx, PolicyRefusalReport.class))));
          new UserSecretRoutes(s.userSecretAllowances(), s.userSecrets(), bodies)
              .register(cfg.routes);
          new ChangeRoutes(s.changeFeed(), bodies).register(cfg.routes);
          new AuditOutRoutes(s.auditOut(), bodies).register(cfg.routes);
          new UsageRoutes(s.usage(), bodies).register(cfg.routes);
          new OperationsRoutes(s.audit(), s.masterKeys(), s.adminKeys(), s.catalog(), bodies)
              .register(cfg.routes);
          new Portal(
                  config.clock(),
                  config.portalIdleTimeout(),
                  config.portalSessionLifetime(),
                  config.usesTls())
              .register(cfg.routes, s, s.trail());
          cfg.routes.get("/healthz", ctx -> Responses.json(ctx, 200, Map.of("status", "ok")));
          cfg.routes.get(
              "/readyz",
              ctx ->
                  s.readiness()
                      .problem()
                      .ifPresentOrElse(
                          problem -> problem(ctx, problem),
                          () -> Responses.json(ctx, 200, Map.of("status", "ready"))));
          cfg.routes.get(
              "/metrics",
              ctx ->
                  ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                      .result(metrics.scrape()));

          cfg.routes.exception(ApiException.class, (e, ctx) -> problem(ctx, e));
          cfg.routes.exception(
              HttpResponseException.class,
              (e, ctx) -> {
                ErrorCode code =
                    switch (e.getStatus()) {
                      case 404, 405 -> ErrorCode.NOT_FOUND;
                      case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
                      case 401 -> ErrorCode.UNAUTHORIZED;
                      case 403 -> ErrorCode.FORBIDDEN;
                      case 400 -> ErrorCode.VALIDATION_FAILED;
                      default -> ErrorCode.INTERNAL_ERROR;
                    };
                Responses.problem(
                    ctx, code, code == ErrorCode.NOT_FOUND ? NO_SUCH_ENDPOINT : code.title(), null);
              });
          cfg.routes.exception(
              Exception.class,
              (e, ctx) ->
                  StoreFailures.answerFor(e)
                      .ifPresentOrElse(
                          answer -> problem(ctx, answer),
                          () -> {
                            LOG.error(
                                "Unexpected error on {} {}", ctx.method().name(), routeOf(ctx), e);
                            Responses.problem(
                                ctx,
                                ErrorCode.INTERNAL_ERROR,
                                "unexpected error; nothing was changed",
                                null);
                          }));
          cfg.routes.error(
              404,
              ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                  Responses.problem(ctx, ErrorCode.NOT_FOUND, NO_SUCH_ENDPOINT, null);
                }
              });
        });
  }
}
