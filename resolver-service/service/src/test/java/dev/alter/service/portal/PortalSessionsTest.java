package dev.alter.service.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.service.app.Caller;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PortalSessionsTest {
  private static final Caller OPERATOR = new Caller(Caller.Kind.ADMIN, "key_1", null);

  private final StepClock clock = new StepClock();
  private final PortalSessions sessions =
      new PortalSessions(clock, Duration.ofMinutes(15), Duration.ofHours(8));

  @Test
  void aSessionEndsAfterItsIdleTimeButEachRequestRestartsThatClock() {
    PortalSessions.Started started = sessions.start(OPERATOR);
    clock.advance(Duration.ofMinutes(14));
    assertThat(sessions.find(started.cookieValue())).isPresent();
    clock.advance(Duration.ofMinutes(14));
    assertThat(sessions.find(started.cookieValue())).isPresent();
    clock.advance(Duration.ofMinutes(15));
    assertThat(sessions.find(started.cookieValue())).isEmpty();
  }

  @Test
  void aSessionEndsAtItsAbsoluteLifetimeHoweverBusy() {
    PortalSessions.Started started = sessions.start(OPERATOR);
    for (int i = 0; i < 47; i++) {
      clock.advance(Duration.ofMinutes(10));
      assertThat(sessions.find(started.cookieValue())).as("after %d0 min", i + 1).isPresent();
    }
    clock.advance(Duration.ofMinutes(10));
    assertThat(sessions.find(started.cookieValue())).isEmpty();
  }

  @Test
  void signOutEndsOnlyThatSession() {
    PortalSessions.Started one = sessions.start(OPERATOR);
    PortalSessions.Started two = sessions.start(OPERATOR);
    sessions.end(one.cookieValue());
    assertThat(sessions.find(one.cookieValue())).isEmpty();
    assertThat(sessions.find(two.cookieValue())).isPresent();
  }

  @Test
  void theCsrfTokenIsPerSessionAndComparedExactly() {
    PortalSessions.Session one = sessions.start(OPERATOR).session();
    PortalSessions.Session two = sessions.start(OPERATOR).session();
    assertThat(one.csrfToken()).isNotEqualTo(two.csrfToken()).hasSizeGreaterThanOrEqualTo(43);
    assertThat(one.csrfMatches(one.csrfToken())).isTrue();
    assertThat(one.csrfMatches(two.csrfToken())).isFalse();
    assertThat(one.csrfMatches(null)).isFalse();
    assertThat(one.csrfMatches("")).isFalse();
  }

  @Test
  void unknownAndOversizedCookiesNameNoSession() {
    assertThat(sessions.find(null)).isEmpty();
    assertThat(sessions.find("nope")).isEmpty();
    assertThat(sessions.find("x".repeat(10_000))).isEmpty();
  }

  @Test
  void aNoticeIsShownOnce() {
    PortalSessions.Session s = sessions.start(OPERATOR).session();
    s.flash("saved", false);
    assertThat(s.takeFlash()).isEqualTo(new PortalSessions.Flash("saved", false));
    assertThat(s.takeFlash()).isNull();
  }
}
