package dev.alter.it.behaviour;

import io.netty.resolver.DefaultAddressResolverGroup;
import java.io.IOException;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

/**
 * {@link UsageReportingApp}'s Reactor Netty family, in a class of its own so the other families'
 * children run without Netty on their class path.
 */
final class ReactorNettySend {
  private ReactorNettySend() {}

  static int get(String url, String grant) throws IOException {
    return get(HttpClient.create(), url, grant);
  }

  /**
   * HTTP/2 where TLS offers it (h2 by ALPN, so the request goes through a stream channel), else
   * HTTP/1.1 (the plain-HTTP host the secret does not allow).
   */
  static int getOverHttp2(String url, String grant) throws IOException {
    return get(HttpClient.create().protocol(HttpProtocol.H2, HttpProtocol.HTTP11), url, grant);
  }

  private static int get(HttpClient client, String url, String grant) throws IOException {
    try {
      Integer status =
          client
              // the JDK's resolver, which reads the test's hosts file
              .resolver(DefaultAddressResolverGroup.INSTANCE)
              .headers(h -> h.set("alter-grant", grant))
              .get()
              .uri(url)
              .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
              .block(Duration.ofSeconds(30));
      return status == null ? -1 : status;
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw cause instanceof IOException ? (IOException) cause : new IOException(cause);
    }
  }
}
