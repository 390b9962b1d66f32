package dev.alter.service.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignInLimiterTest {
  private final StepClock clock = new StepClock();
  private final SignInLimiter limiter = new SignInLimiter(clock, Duration.ofMinutes(5), 3, 5);

  @Test
  void anAddressWaitsOnceItHasUsedUpItsFailuresUntilTheOldestLeavesTheWindow() {
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.retryAfterSeconds("10.0.0.1")).isZero();
      limiter.recordFailure("10.0.0.1");
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(limiter.retryAfterSeconds("10.0.0.1")).isEqualTo(270);
    assertThat(limiter.retryAfterSeconds("10.0.0.2")).isZero();
    clock.advance(Duration.ofSeconds(270));
    assertThat(limiter.retryAfterSeconds("10.0.0.1")).isZero();
  }

  @Test
  void failuresFromEverywhereHaveATotalLimit() {
    for (int i = 0; i < 5; i++) {
      limiter.recordFailure("10.0.1." + i);
    }
    assertThat(limiter.retryAfterSeconds("10.0.2.1")).isEqualTo(300);
  }
}
