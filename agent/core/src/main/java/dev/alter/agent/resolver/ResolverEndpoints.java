package dev.alter.agent.resolver;

import java.net.URI;

/**
 * Which resolver replica the agent talks to next. The change subscription asks {@link #next()}
 * before each connection attempt and reports how it went, so a list of replicas (fail-over) can
 * plug in here without the subscription knowing.
 */
public interface ResolverEndpoints {
  /** The resolver base URL to use next (no trailing slash needed). */
  URI next();

  /** A connection to {@code baseUrl} failed (refused, timed out, 5xx, dead heartbeat). */
  void failed(URI baseUrl);

  /** A connection to {@code baseUrl} is up. */
  default void succeeded(URI baseUrl) {}

  /** Always the one configured URL. */
  static ResolverEndpoints single(URI baseUrl) {
    return new ResolverEndpoints() {
      @Override
      public URI next() {
        return baseUrl;
      }

      @Override
      public void failed(URI url) {}
    };
  }
}
