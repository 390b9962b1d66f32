package dev.alter.service;

import dev.alter.service.crypto.EnvelopeCipher;
import dev.alter.service.live.LiveControlPlane;
import dev.alter.service.store.Database;
import io.javalin.Javalin;
import io.javalin.router.Endpoint;
import java.util.List;

/** A started service. Closing it stops the HTTP server and the connection pool. */
public final class RunningService implements AutoCloseable {
  private final Javalin http;
  private final Database database;
  private final EnvelopeCipher cipher;
  private final String generatedAdminKey;
  private final boolean tls;
  private final String host;
  private final AutoCloseable identityProviders;
  private final LiveControlPlane live;
  private final AutoCloseable background;

  RunningService(
      Javalin http,
      Database database,
      EnvelopeCipher cipher,
      String generatedAdminKey,
      boolean tls,
      String host,
      AutoCloseable identityProviders,
      LiveControlPlane live,
      AutoCloseable background) {
    this.identityProviders = identityProviders;
    this.live = live;
    this.background = background;
    this.http = http;
    this.database = database;
    this.cipher = cipher;
    this.generatedAdminKey = generatedAdminKey;
    this.tls = tls;
    this.host = host;
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return http.port();
  }

  /** e.g. {@code http://127.0.0.1:8470} (no trailing slash). */
  public String baseUrl() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    if (h.equals("0.0.0.0") || h.equals("[::]")) {
      h = "127.0.0.1";
    }
    return (tls ? "https://" : "http://") + h + ":" + port();
  }

  /**
   * The admin key generated during this start (also written to the admin key file if one was
   * configured), or null when an existing key was used.
   */
  public String generatedAdminKey() {
    return generatedAdminKey;
  }

  /** Every HTTP endpoint the service registered, as method and path template. */
  List<Endpoint> endpoints() {
    return http.unsafe.internalRouter.allHttpHandlers().stream().map(p -> p.endpoint).toList();
  }

  /** The change log, its follower and the subscriptions of this process. */
  LiveControlPlane live() {
    return live;
  }

  Database database() {
    return database;
  }

  EnvelopeCipher cipher() {
    return cipher;
  }

  @Override
  public void close() {
    try {
      live.close();
      http.stop();
    } finally {
      try {
        background.close();
      } catch (Exception e) {
        // background workers (webhook delivery, usage rollup) are being dropped
      }
      try {
        identityProviders.close();
      } catch (Exception e) {
        // nothing to recover: JWKS caches and timers are being dropped anyway
      }
      database.close();
    }
  }
}
