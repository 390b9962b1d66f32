package dev.alter.service.http;

import dev.alter.service.app.AdminKeyService;
import dev.alter.service.app.AuditQueryService;
import dev.alter.service.app.MasterKeyService;
import dev.alter.service.app.Requests;
import dev.alter.service.app.Views;
import dev.alter.service.catalog.ProviderCatalog;
import io.javalin.config.RoutesConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Audit, provider catalog and master keys. */
final class OperationsRoutes {
  private final AuditQueryService audit;
  private final MasterKeyService masterKeys;
  private final Views.Providers providers;
  private final AdminKeyService adminKeys;
  private final JsonBodies bodies;

  OperationsRoutes(
      AuditQueryService audit,
      MasterKeyService masterKeys,
      AdminKeyService adminKeys,
      ProviderCatalog catalog,
      JsonBodies bodies) {
    this.audit = audit;
    this.adminKeys = adminKeys;
    this.masterKeys = masterKeys;
    this.providers =
        new Views.Providers(
            catalog.all().stream()
                .map(
                    p ->
                        new Views.ProviderEntry(
                            p.id(),
                            p.name(),
                            p.description(),
                            p.docs(),
                            p.injection(),
                            p.destinations(),
                            p.parts(),
                            p.requiredParts(),
                            p.minting()))
                .toList());
    this.bodies = bodies;
  }

  void register(RoutesConfig r) {
    r.get(
        "/v1/audit",
        ctx -> {
          Map<String, String> params = new LinkedHashMap<>();
          for (String name : ctx.queryParamMap().keySet()) {
            params.put(name, QueryParams.single(ctx, name));
          }
          Responses.json(ctx, 200, audit.query(params));
        });
    r.get("/v1/providers", ctx -> Responses.json(ctx, 200, providers));
    r.post(
        "/v1/admin-keys",
        ctx -> {
          bodies.read(ctx, Requests.Empty.class);
          Responses.json(ctx, 201, adminKeys.create(Authorization.caller(ctx)));
        });
    r.get("/v1/admin-keys", ctx -> Responses.json(ctx, 200, adminKeys.list()));
    r.delete(
        "/v1/admin-keys/{key_id}",
        ctx ->
            Responses.json(
                ctx, 200, adminKeys.revoke(Authorization.caller(ctx), ctx.pathParam("key_id"))));
    r.get("/v1/master-keys", ctx -> Responses.json(ctx, 200, masterKeys.status()));
    r.post(
        "/v1/master-keys/rewrap",
        ctx -> {
          bodies.read(ctx, Requests.Empty.class);
          Responses.json(ctx, 200, masterKeys.rewrap(Authorization.caller(ctx)));
        });
  }
}
