package dev.alter.service.http;

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
  private final JsonBodies bodies;

  OperationsRoutes(AuditQueryService audit, MasterKeyService masterKeys, ProviderCatalog catalog, JsonBodies bodies) {
    this.audit = audit;
    this.masterKeys = masterKeys;
    this.providers = new Views.Providers(catalog.all().stream().map(p -> new Views.ProviderEntry(p.id(), p.name(),
        p.description(), p.injection(), p.destinations(), p.parts(), p.requiredParts())).toList());
    this.bodies = bodies;
  }

  void register(RoutesConfig r) {
    r.get("/v1/audit", ctx -> {
      Map<String, String> params = new LinkedHashMap<>();
      for (String name : ctx.queryParamMap().keySet()) {
        params.put(name, QueryParams.single(ctx, name));
      }
      Responses.json(ctx, 200, audit.query(params));
    });
    r.get("/v1/providers", ctx -> Responses.json(ctx, 200, providers));
    r.get("/v1/master-keys", ctx -> Responses.json(ctx, 200, masterKeys.status()));
    r.post("/v1/master-keys/rewrap", ctx -> {
      bodies.read(ctx, Requests.Empty.class);
      Responses.json(ctx, 200, masterKeys.rewrap(Authorization.caller(ctx)));
    });
  }
}
