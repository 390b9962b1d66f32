package dev.alter.agent.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
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
}
