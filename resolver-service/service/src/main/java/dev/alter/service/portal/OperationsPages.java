package dev.alter.service.portal;

import static dev.alter.service.portal.PortalHttp.BASE;
import static dev.alter.service.portal.PortalHttp.params;

import dev.alter.service.app.AppService;
import dev.alter.service.app.AuditQueryService;
import dev.alter.service.app.GrantService;
import dev.alter.service.app.MasterKeyService;
import dev.alter.service.app.SecretService;
import dev.alter.service.app.Views;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The overview, the audit (filters, paging, CSV of the filtered view) and the master keys. */
final class OperationsPages {
  static final List<String> FILTERS =
      List.of("app_id", "secret_id", "grant_id", "outcome", "action", "from", "to");

  private static final int PAGE_SIZE = 50;

  /** The CSV stops here; narrow the filters for more. */
  static final int CSV_MAX_ROWS = 10_000;

  private final PortalHttp http;
  private final AppService apps;
  private final SecretService secrets;
  private final GrantService grants;
  private final AuditQueryService audit;
  private final MasterKeyService masterKeys;

  OperationsPages(
      PortalHttp http,
      AppService apps,
      SecretService secrets,
      GrantService grants,
      AuditQueryService audit,
      MasterKeyService masterKeys) {
    this.http = http;
    this.apps = apps;
    this.secrets = secrets;
    this.grants = grants;
    this.audit = audit;
    this.masterKeys = masterKeys;
  }

  void register(RoutesConfig r) {
    // Javalin matches "/portal" here too (trailing slashes are ignored)
    r.get(BASE + "/", http.page(this::overview));
    r.get(BASE + "/audit", http.page(this::auditPage));
    r.get(BASE + "/audit.csv", http.page(this::auditCsv));
    r.get(
        BASE + "/master-keys",
        http.page(
            (ctx, s) ->
                http.render(
                    ctx,
                    200,
                    "master_keys",
                    s,
                    "Master keys",
                    "master-keys",
                    params("status", masterKeys.status()))));
    r.post(
        BASE + "/master-keys/rewrap",
        http.action(
            ctx -> BASE + "/master-keys",
            (ctx, s) -> {
              Views.Rewrap done = masterKeys.rewrap(s.caller());
              s.flash(
                  "Rewrapped "
                      + done.rewrapped()
                      + " credential versions under master key "
                      + done.activeKeyId()
                      + ".",
                  false);
              return BASE + "/master-keys";
            }));
  }

  private void overview(Context ctx, PortalSessions.Session s) {
    List<Views.Grant> allGrants = grants.list(null, null).grants();
    http.render(
        ctx,
        200,
        "overview",
        s,
        "Overview",
        "overview",
        params(
            "apps",
            apps.list().apps().size(),
            "secrets",
            secrets.list(null).secrets().size(),
            "grants",
            allGrants.stream().filter(g -> g.revokedAt() == null).count(),
            "denials",
            audit.query(Map.of("outcome", "denied", "limit", "10")).events()));
  }

  private void auditPage(Context ctx, PortalSessions.Session s) {
    Map<String, String> filters = filters(ctx);
    Map<String, String> query = new LinkedHashMap<>(filters);
    query.put("limit", Integer.toString(PAGE_SIZE));
    String cursor = QueryText.of(ctx, "cursor");
    if (cursor != null) {
      query.put("cursor", cursor);
    }
    Views.AuditPage page = audit.query(query);
    String filterQuery = queryString(filters);
    http.render(
        ctx,
        200,
        "audit",
        s,
        "Audit",
        "audit",
        params(
            "events",
            page.events(),
            "filters",
            filters,
            "actions",
            AuditQueryService.ACTIONS.stream().sorted().toList(),
            "csvHref",
            BASE + "/audit.csv" + (filterQuery.isEmpty() ? "" : "?" + filterQuery),
            "nextHref",
            page.nextCursor() == null
                ? null
                : BASE
                    + "/audit?"
                    + (filterQuery.isEmpty() ? "" : filterQuery + "&")
                    + "cursor="
                    + encode(page.nextCursor()),
            "firstHref",
            cursor == null
                ? null
                : BASE + "/audit" + (filterQuery.isEmpty() ? "" : "?" + filterQuery)));
  }

  /** Every event the filters select (newest first, up to {@link #CSV_MAX_ROWS}), as CSV. */
  private void auditCsv(Context ctx, PortalSessions.Session s) {
    Map<String, String> filters = filters(ctx);
    List<Views.AuditEvent> events = new ArrayList<>();
    String cursor = null;
    do {
      Map<String, String> query = new LinkedHashMap<>(filters);
      query.put("limit", "1000");
      if (cursor != null) {
        query.put("cursor", cursor);
      }
      Views.AuditPage page = audit.query(query);
      events.addAll(page.events());
      cursor = page.nextCursor();
    } while (cursor != null && events.size() < CSV_MAX_ROWS);
    PortalHttp.securityHeaders(ctx);
    ctx.header("Content-Disposition", "attachment; filename=\"alter-audit.csv\"");
    ctx.contentType("text/csv; charset=utf-8")
        .result(AuditCsv.of(events.subList(0, Math.min(events.size(), CSV_MAX_ROWS))));
  }

  private static Map<String, String> filters(Context ctx) {
    Map<String, String> filters = new LinkedHashMap<>();
    for (String name : FILTERS) {
      String value = QueryText.of(ctx, name);
      if (value != null) {
        filters.put(name, value);
      }
    }
    return filters;
  }

  private static String queryString(Map<String, String> params) {
    List<String> parts = new ArrayList<>();
    params.forEach((k, v) -> parts.add(k + "=" + encode(v)));
    return String.join("&", parts);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
