package dev.alter.service.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.contract.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The per-user and per-app limits on users' key uploads, on a pinned clock. */
class UploadRateLimiterTest {
  private Instant now = Instant.parse("2026-12-07T00:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };

  @Test
  void aUserOverTheLimitIsRefusedUntilTheWindowEnds() {
    UploadRateLimiter limits = new UploadRateLimiter(3, 100, clock);
    for (int i = 0; i < 3; i++) {
      limits.admitUser("app_a", "user:idp_x/alice");
    }
    assertThatThrownBy(() -> limits.admitUser("app_a", "user:idp_x/alice"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED))
        .hasMessageContaining("this user");
    limits.admitUser("app_a", "user:idp_x/bob");
    limits.admitUser("app_b", "user:idp_x/alice");

    now = now.plusSeconds(60);
    limits.admitUser("app_a", "user:idp_x/alice");
  }

  @Test
  void anAppOverItsLimitIsRefusedWhateverTheUser() {
    UploadRateLimiter limits = new UploadRateLimiter(100, 2, clock);
    limits.admitApp("app_a");
    limits.admitApp("app_a");
    assertThatThrownBy(() -> limits.admitApp("app_a"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED))
        .hasMessageContaining("this app");
    limits.admitApp("app_b");
    now = now.plusSeconds(61);
    limits.admitApp("app_a");
  }
}
