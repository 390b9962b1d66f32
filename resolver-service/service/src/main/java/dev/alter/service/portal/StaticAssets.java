package dev.alter.service.portal;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The portal's stylesheet and script: two fixed files from the jar, nothing else. */
final class StaticAssets {
  private static final Map<String, String> FILES =
      Map.of(
          "portal.css", "text/css; charset=utf-8", "portal.js", "text/javascript; charset=utf-8");

  private final Map<String, byte[]> contents;

  StaticAssets() {
    contents = Map.of("portal.css", read("portal.css"), "portal.js", read("portal.js"));
  }

  void register(RoutesConfig r) {
    r.get(
        PortalHttp.BASE + "/static/{name}",
        ctx -> {
          String name = ctx.pathParam("name");
          byte[] body = contents.get(name);
          PortalHttp.securityHeaders(ctx);
          if (body == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("not found");
            return;
          }
          ctx.contentType(FILES.get(name)).result(body);
        });
  }

  private static byte[] read(String name) {
    try (InputStream in = StaticAssets.class.getResourceAsStream("/portal/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks portal/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
