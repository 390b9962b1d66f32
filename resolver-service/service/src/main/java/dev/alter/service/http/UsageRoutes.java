package dev.alter.service.http;

import dev.alter.service.app.Requests;
import dev.alter.service.app.UsageService;
import io.javalin.config.RoutesConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /v1/usage/report} (agents, app key), {@code GET /v1/usage} and rejections. */
final class UsageRoutes {
  /** The one route besides resolve that takes app keys (Authorization). */
  static final String REPORT_PATH = "/v1/usage/report";

  private final UsageService usage;
  private final JsonBodies bodies;

  UsageRoutes(UsageService usage, JsonBodies bodies) {
    this.usage = usage;
    this.bodies = bodies;
  }

  void register(RoutesConfig r) {
    r.post(
        REPORT_PATH,
        ctx ->
            Responses.json(
                ctx,
                202,
                usage.report(
                    Authorization.caller(ctx), bodies.read(ctx, Requests.UsageReport.class))));
    r.get(
        "/v1/usage",
        ctx -> {
          Map<String, String> params = new LinkedHashMap<>();
          for (String name : ctx.queryParamMap().keySet()) {
            params.put(name, QueryParams.single(ctx, name));
          }
          Responses.json(ctx, 200, usage.query(params));
        });
    r.get(
        "/v1/usage/rejections",
        ctx ->
            Responses.json(
                ctx,
                200,
                usage.rejections(
                    QueryParams.single(ctx, "app_id"), QueryParams.single(ctx, "secret_id"))));
  }
}
