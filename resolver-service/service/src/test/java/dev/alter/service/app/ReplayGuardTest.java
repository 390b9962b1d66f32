package dev.alter.service.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.contract.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
  private static final long T = 1_796_000_000L;
  private Instant now = Instant.ofEpochSecond(T);
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
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

  @Test
  void acceptsTimestampsWithinTheWindowEitherWayAndRefusesOthers() {
    ReplayGuard guard = new ReplayGuard(60, clock);
    guard.requireFresh(T - 60);
    guard.requireFresh(T + 60);
    assertRejected(() -> guard.requireFresh(T - 61), "stale or replayed");
    assertRejected(() -> guard.requireFresh(T + 61), "in the future");
  }

  @Test
  void aNonceIsRefusedTheSecondTimeForTheSameKeyOnly() {
    ReplayGuard guard = new ReplayGuard(60, clock);
    guard.requireFirstUse("key-a", "nonce-1", T);
    guard.requireFirstUse("key-b", "nonce-1", T);
    assertRejected(() -> guard.requireFirstUse("key-a", "nonce-1", T), "already used");
  }

  @Test
  void whenFullOfLiveNoncesItRefusesUntilTheyLeaveTheWindow() {
    ReplayGuard guard = new ReplayGuard(60, clock, 3);
    for (int i = 0; i < 3; i++) {
      guard.requireFirstUse("key", "nonce-" + i, T);
    }
    assertRejected(() -> guard.requireFirstUse("key", "nonce-3", T), "too many");
    now = now.plusSeconds(61);
    guard.requireFirstUse("key", "nonce-3", T + 61);
    // forgotten nonces are past the window: their timestamps refuse them now
    assertRejected(() -> guard.requireFresh(T), "stale");
  }

  private static void assertRejected(Runnable call, String detail) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.SIGNATURE_REJECTED);
              assertThat(e.getMessage()).contains(detail);
            });
  }
}
