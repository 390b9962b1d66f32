package dev.alter.agent.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

class NamePreservingSslContextTest {
  private final ResolverEndpoints endpoints =
      new ResolverEndpoints(
          List.of(URI.create("https://replicas.internal:8443")),
          Clock.systemUTC(),
          Duration.ofSeconds(1),
          Duration.ofSeconds(8),
          host ->
              new InetAddress[] {
                InetAddress.getByAddress(host, new byte[] {10, 0, 0, 1}),
                InetAddress.getByAddress(host, new byte[] {10, 0, 0, 2})
              });

  @Test
  void anEngineForAnAddressOfTheNameIsOpenedForTheName() throws Exception {
    SSLContext tls = new NamePreservingSslContext(SSLContext.getDefault(), endpoints);
    endpoints.next();

    SSLEngine engine = tls.createSSLEngine("10.0.0.2", 8443);

    assertThat(engine.getPeerHost()).isEqualTo("replicas.internal");
    assertThat(engine.getPeerPort()).isEqualTo(8443);
    assertThat(tls.getDefaultSSLParameters().getProtocols())
        .containsExactly(SSLContext.getDefault().getDefaultSSLParameters().getProtocols());
  }

  @Test
  void anyOtherHostKeepsItsOwnName() throws Exception {
    SSLContext tls = new NamePreservingSslContext(SSLContext.getDefault(), endpoints);
    endpoints.next();

    assertThat(tls.createSSLEngine("10.0.0.7", 8443).getPeerHost()).isEqualTo("10.0.0.7");
    assertThat(tls.createSSLEngine("api.example.com", 443).getPeerHost())
        .isEqualTo("api.example.com");
  }
}
