package dev.alter.agent.resolver;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The UTC day ({@code yyyyMMdd}) a SigV4 signature made at a given instant belongs to. */
public final class SigningDate {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  private SigningDate() {}

  public static String of(Instant instant) {
    return DAY.format(instant);
  }

  public static String ofMillis(long epochMillis) {
    return of(Instant.ofEpochMilli(epochMillis));
  }
}
