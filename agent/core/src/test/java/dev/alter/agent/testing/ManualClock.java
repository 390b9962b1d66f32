package dev.alter.agent.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock the test sets and moves by hand (cache TTLs, AWS signing dates). */
public final class ManualClock extends Clock {
  private volatile Instant now;

  /** Starts at an arbitrary fixed instant. */
  public ManualClock() {
    this("2023-11-14T22:13:20Z");
  }

  public ManualClock(String instant) {
    this.now = Instant.parse(instant);
  }

  public void set(String instant) {
    now = Instant.parse(instant);
  }

  public synchronized void advance(Duration d) {
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
