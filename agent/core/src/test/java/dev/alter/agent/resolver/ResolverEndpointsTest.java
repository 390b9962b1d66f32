package dev.alter.agent.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResolverEndpointsTest {
  private static final URI A = URI.create("https://a.internal:8443");
  private static final URI B = URI.create("https://b.internal:8443");
  private static final URI C = URI.create("https://c.internal:8443");

  private Instant now = Instant.parse("2026-12-07T00:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  private final ResolverEndpoints endpoints =
      new ResolverEndpoints(List.of(A, B, C), clock, Duration.ofSeconds(1), Duration.ofSeconds(8));

  @Test
  void healthyReplicasAreAskedInConfiguredOrder() {
    assertThat(endpoints.next()).isEqualTo(A);
    assertThat(endpoints.next(Set.of(A))).isEqualTo(B);
    assertThat(endpoints.next(Set.of(A, B))).isEqualTo(C);
    assertThat(endpoints.next(Set.of(A, B, C))).isNull();
  }

  @Test
  void aFailedReplicaIsAvoidedForItsBackOffThenAskedAgain() {
    endpoints.reportFailure(A);
    assertThat(endpoints.avoided(A)).isTrue();
    assertThat(endpoints.next()).isEqualTo(B);
    now = now.plusMillis(999);
    assertThat(endpoints.next()).isEqualTo(B);
    now = now.plusMillis(1);
    assertThat(endpoints.next()).isEqualTo(A);
  }

  @Test
  void theBackOffDoublesOnEachFailureInARowUpToItsCapAndASuccessEndsIt() {
    endpoints.reportFailure(A);
    endpoints.reportFailure(A);
    now = now.plusMillis(1_999);
    assertThat(endpoints.avoided(A)).isTrue();
    now = now.plusMillis(1);
    assertThat(endpoints.avoided(A)).isFalse();
    for (int i = 0; i < 10; i++) {
      endpoints.reportFailure(A);
    }
    now = now.plusMillis(8_000);
    assertThat(endpoints.avoided(A)).isFalse();

    endpoints.reportFailure(A);
    endpoints.reportSuccess(A);
    assertThat(endpoints.avoided(A)).isFalse();
    endpoints.reportFailure(A);
    now = now.plusMillis(1_000);
    assertThat(endpoints.avoided(A)).as("a success resets the doubling").isFalse();
  }

  @Test
  void whenEveryReplicaIsAvoidedTheOneWhoseBackOffEndsFirstIsStillOffered() {
    endpoints.reportFailure(B);
    now = now.plusMillis(100);
    endpoints.reportFailure(A);
    endpoints.reportFailure(A);
    now = now.plusMillis(100);
    endpoints.reportFailure(C);
    assertThat(endpoints.next()).isEqualTo(B);
    assertThat(endpoints.next(Set.of(B))).isEqualTo(C);
  }

  /** A name service that knows a few names (InetAddress.getByAddress does no lookup). */
  private static InetAddress[] lookUp(String host) throws UnknownHostException {
    switch (host) {
      case "replicas.internal":
        return new InetAddress[] {
          InetAddress.getByAddress(host, new byte[] {10, 0, 0, 1}),
          InetAddress.getByAddress(host, new byte[] {10, 0, 0, 2}),
          InetAddress.getByAddress(host, ipv6Of(3))
        };
      case "single.internal":
        return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {10, 0, 0, 9})};
      default:
        throw new UnknownHostException(host);
    }
  }

  private static byte[] ipv6Of(int last) {
    byte[] address = new byte[16];
    address[0] = (byte) 0xfd;
    address[15] = (byte) last;
    return address;
  }

  @Test
  void aNameWithSeveralAddressesIsOneReplicaPerAddressInTheOrderTheNameResolvesTo() {
    URI name = URI.create("https://replicas.internal:8443");
    URI single = URI.create("https://single.internal:8443");
    URI unknown = URI.create("https://unknown.internal");
    URI literal = URI.create("http://127.0.0.1:8470");
    ResolverEndpoints byAddress =
        new ResolverEndpoints(
            List.of(name, single, unknown, literal),
            clock,
            Duration.ofSeconds(1),
            Duration.ofSeconds(8),
            ResolverEndpointsTest::lookUp);
    URI first = URI.create("https://10.0.0.1:8443");
    URI second = URI.create("https://10.0.0.2:8443");
    URI third = URI.create("https://[fd00:0:0:0:0:0:0:3]:8443");

    assertThat(byAddress.size()).isEqualTo(6);
    assertThat(byAddress.next()).isEqualTo(first);
    assertThat(byAddress.next(Set.of(first))).isEqualTo(second);
    assertThat(byAddress.next(Set.of(first, second))).isEqualTo(third);
    // one address: dialled by name, as the HttpClient would; an unknown name too (it reports)
    assertThat(byAddress.next(Set.of(first, second, third))).isEqualTo(single);
    assertThat(byAddress.next(Set.of(first, second, third, single))).isEqualTo(unknown);

    byAddress.reportFailure(first);
    assertThat(byAddress.next())
        .as("a dead address is skipped like a dead replica")
        .isEqualTo(second);
    assertThat(byAddress.urls()).containsExactly(name, single, unknown, literal);
    assertThat(byAddress.dialsByAddress()).isTrue();
  }

  @Test
  void tlsGetsBackTheNameAnAddressWasLookedUpFrom() {
    ResolverEndpoints byAddress =
        new ResolverEndpoints(
            List.of(URI.create("https://replicas.internal:8443")),
            clock,
            Duration.ofSeconds(1),
            Duration.ofSeconds(8),
            ResolverEndpointsTest::lookUp);
    assertThat(byAddress.hostNameFor("10.0.0.2", 8443)).isEqualTo("replicas.internal");
    assertThat(byAddress.hostNameFor("[fd00:0:0:0:0:0:0:3]", 8443)).isEqualTo("replicas.internal");
    assertThat(byAddress.hostNameFor("fd00:0:0:0:0:0:0:3", 8443)).isEqualTo("replicas.internal");
    assertThat(byAddress.hostNameFor("10.0.0.2", 443)).isNull();
    assertThat(byAddress.hostNameFor("10.0.0.7", 8443)).isNull();
  }

  @Test
  void theNameIsLookedUpAgainAfterThirtySecondsKeepingTheBackOffOfAddressesItStillHas() {
    InetAddress[][] answer = new InetAddress[1][];
    ResolverEndpoints byAddress =
        new ResolverEndpoints(
            List.of(URI.create("http://replicas.internal:8470")),
            clock,
            Duration.ofSeconds(60),
            Duration.ofSeconds(60),
            host -> answer[0]);
    URI one = URI.create("http://10.0.0.1:8470");
    URI two = URI.create("http://10.0.0.2:8470");
    URI three = URI.create("http://10.0.0.3:8470");
    try {
      answer[0] =
          new InetAddress[] {
            InetAddress.getByAddress(new byte[] {10, 0, 0, 1}),
            InetAddress.getByAddress(new byte[] {10, 0, 0, 2})
          };
      assertThat(byAddress.next()).isEqualTo(one);
      byAddress.reportFailure(one);
      answer[0] =
          new InetAddress[] {
            InetAddress.getByAddress(new byte[] {10, 0, 0, 1}),
            InetAddress.getByAddress(new byte[] {10, 0, 0, 3})
          };
      now = now.plusSeconds(29);
      assertThat(byAddress.next()).isEqualTo(two);
      now = now.plusSeconds(1);
      assertThat(byAddress.next()).as("10.0.0.1 is still in back-off").isEqualTo(three);
      assertThat(byAddress.size()).isEqualTo(2);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
