package dev.alter.service;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that follows system time until a test pins it (e.g. at 23:59:30 to cross midnight).
 */
final class SettableClock extends Clock {
  private volatile Instant pinned;

  void pin(Instant at) {
    pinned = at;
  }

  void followSystemTime() {
    pinned = null;
  }

  @Override
  public Instant instant() {
    Instant at = pinned;
    return at == null ? Instant.now() : at;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the service reads UTC only");
  }
}
