package dev.alter.service.http;

import dev.alter.contract.ErrorCode;
import dev.alter.contract.WireFormat;
import dev.alter.service.app.ApiException;
import dev.alter.service.live.ChangeFeed;
import dev.alter.service.live.EventSink;
import io.javalin.config.RoutesConfig;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The change feed (app keys, signed like resolves): {@code POST /v1/changes} answers a server-sent
 * event stream that stays open, {@code POST /v1/changes/heartbeat} is the agent's side of the
 * heartbeat. Admin keys: {@code GET /v1/connections} and {@code GET /v1/apps/{app_id}/connections}
 * list the agents subscribed through any replica.
 */
final class ChangeRoutes {
  private final ChangeFeed feed;
  private final JsonBodies bodies;

  ChangeRoutes(ChangeFeed feed, JsonBodies bodies) {
    this.feed = feed;
    this.bodies = bodies;
  }

  /** What the agent's heartbeat names. */
  record Heartbeat(String connectionId) {}

  void register(RoutesConfig r) {
    r.post(
        WireFormat.CHANGES_PATH,
        ctx -> {
          ChangeFeed.Subscribe request = bodies.read(ctx, ChangeFeed.Subscribe.class);
          ChangeFeed.validate(request);
          ctx.status(200);
          ctx.res().setContentType("text/event-stream; charset=utf-8");
          ctx.res().setHeader("Cache-Control", "no-store");
          CompletableFuture<Void> ended = new CompletableFuture<>();
          EventSink sink = new ServletEventSink(ctx.res().getOutputStream(), ended);
          ctx.future(() -> ended);
          feed.open(Authorization.caller(ctx), request, sink);
        });
    r.post(
        WireFormat.CHANGES_HEARTBEAT_PATH,
        ctx -> {
          Heartbeat beat = bodies.read(ctx, Heartbeat.class);
          if (!feed.heartbeat(Authorization.caller(ctx), beat.connectionId())) {
            throw new ApiException(
                ErrorCode.NOT_FOUND,
                "no open change subscription with this connection_id on this replica; subscribe"
                    + " again");
          }
          Responses.json(ctx, 200, Map.of("status", "ok"));
        });
    r.get(
        "/v1/connections",
        ctx -> Responses.json(ctx, 200, feed.connected(QueryParams.single(ctx, "app_id"))));
    r.get(
        "/v1/apps/{app_id}/connections",
        ctx -> Responses.json(ctx, 200, feed.connected(ctx.pathParam("app_id"))));
  }

  /** Writes {@code text/event-stream} frames and flushes each, so it leaves at once. */
  private static final class ServletEventSink implements EventSink {
    private final ServletOutputStream out;
    private final CompletableFuture<Void> ended;

    ServletEventSink(ServletOutputStream out, CompletableFuture<Void> ended) {
      this.out = out;
      this.ended = ended;
    }

    @Override
    public void send(String event, Long id, String data) throws IOException {
      StringBuilder frame = new StringBuilder(64 + data.length());
      if (id != null) {
        frame.append("id: ").append(id).append('\n');
      }
      frame.append("event: ").append(event).append('\n');
      frame.append("data: ").append(data).append("\n\n");
      out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    @Override
    public void close() {
      try {
        out.close();
      } catch (IOException | RuntimeException ignored) {
        // the peer is gone already
      }
      ended.complete(null);
    }
  }
}
