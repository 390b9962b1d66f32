package dev.alter.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.alter.service.JsonCodec;
import dev.alter.service.app.AuditExport;
import dev.alter.service.app.AuditOut;
import dev.alter.service.app.Requests;
import dev.alter.service.app.Views;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /v1/audit/export} (NDJSON), {@code /v1/audit/csv} and {@code /v1/webhooks}. */
final class AuditOutRoutes {
  static final String NEXT_CURSOR = "Alter-Next-Cursor";
  private static final ObjectWriter LINE = JsonCodec.mapper().writer();

  private final AuditOut out;
  private final JsonBodies bodies;

  AuditOutRoutes(AuditOut out, JsonBodies bodies) {
    this.out = out;
    this.bodies = bodies;
  }

  void register(RoutesConfig r) {
    r.get("/v1/audit/export", this::export);
    r.get(
        "/v1/audit/csv",
        ctx -> {
          byte[] csv = out.csv().render(params(ctx));
          ctx.status(200)
              .contentType("text/csv; charset=utf-8")
              .header("Content-Disposition", "attachment; filename=\"alter-audit.csv\"")
              .result(csv);
        });
    r.post(
        "/v1/webhooks",
        ctx ->
            Responses.json(
                ctx,
                201,
                out.webhooks()
                    .create(
                        Authorization.caller(ctx),
                        bodies.read(ctx, Requests.CreateWebhook.class))));
    r.get("/v1/webhooks", ctx -> Responses.json(ctx, 200, out.webhooks().list()));
    r.get(
        "/v1/webhooks/{receiver_id}",
        ctx -> Responses.json(ctx, 200, out.webhooks().get(ctx.pathParam("receiver_id"))));
    r.post(
        "/v1/webhooks/{receiver_id}/replay",
        ctx ->
            Responses.json(
                ctx,
                200,
                out.webhooks()
                    .replay(
                        Authorization.caller(ctx),
                        ctx.pathParam("receiver_id"),
                        bodies.read(ctx, Requests.ReplayWebhook.class))));
    r.delete(
        "/v1/webhooks/{receiver_id}",
        ctx ->
            Responses.json(
                ctx,
                200,
                out.webhooks().delete(Authorization.caller(ctx), ctx.pathParam("receiver_id"))));
  }

  /** One JSON object per line, each with the cursor that resumes after it. */
  private void export(Context ctx) throws InterruptedException, JsonProcessingException {
    AuditExport.Page page = out.export().read(params(ctx));
    ByteArrayOutputStream body = new ByteArrayOutputStream(256 * (page.events().size() + 1));
    for (AuditExport.Exported e : page.events()) {
      body.writeBytes(LINE.writeValueAsBytes(Views.ExportedEvent.of(e.cursor(), e.event())));
      body.write('\n');
    }
    ctx.status(200)
        .contentType("application/x-ndjson")
        .header(NEXT_CURSOR, page.nextCursor())
        .result(body.toByteArray());
  }

  private static Map<String, String> params(Context ctx) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String name : ctx.queryParamMap().keySet()) {
      params.put(name, QueryParams.single(ctx, name));
    }
    return params;
  }
}
