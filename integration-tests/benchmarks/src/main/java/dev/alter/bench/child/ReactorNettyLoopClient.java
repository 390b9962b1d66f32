package dev.alter.bench.child;

import io.netty.resolver.DefaultAddressResolverGroup;
import java.time.Duration;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Reactor Netty 1.3 (Spring WebClient's default client), each loop thread blocking on its own
 * reactive call, the way a servlet app uses WebClient; a pool large enough for every loop thread.
 */
final class ReactorNettyLoopClient implements LoopClient {
  private final ConnectionProvider pool =
      ConnectionProvider.builder("bench").maxConnections(256).build();
  private final HttpClient client =
      HttpClient.create(pool)
          // the JDK's resolver, so the run's hosts file applies as for the other clients
          .resolver(DefaultAddressResolverGroup.INSTANCE)
          .responseTimeout(Duration.ofSeconds(60));

  @Override
  public int get(String url, String header, String value) {
    HttpClient withHeader = header == null ? client : client.headers(h -> h.add(header, value));
    Integer status =
        withHeader
            .get()
            .uri(url)
            .responseSingle(
                (response, body) ->
                    body.asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .map(bytes -> response.status().code()))
            .block(Duration.ofSeconds(60));
    return status == null ? -1 : status;
  }

  @Override
  public void close() {
    pool.disposeLater().block(Duration.ofSeconds(10));
  }
}
