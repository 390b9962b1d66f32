package dev.alter.agent.injection.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test sets and moves by hand. */
final class FixedClock extends Clock {
  private volatile Instant now;

  FixedClock(String instant) {
    this.now = Instant.parse(instant);
  }

  void set(String instant) {
    now = Instant.parse(instant);
  }

  void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public long millis() {
    return now.toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
