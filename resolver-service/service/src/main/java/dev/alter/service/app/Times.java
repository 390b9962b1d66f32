package dev.alter.service.app;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** RFC 3339 UTC timestamps on the wire, epoch milliseconds in the store. */
public final class Times {
  /** RFC 3339 has four-digit years; later instants would not print back in the same form. */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  private Times() {}

  public static String format(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis).toString();
  }

  /**
   * @throws ApiException validation_failed naming {@code field}
   */
  public static long parse(String field, String text) {
    Instant instant;
    try {
      instant = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException | NullPointerException e) {
      throw ApiException.invalid(
          field + " must be an RFC 3339 timestamp such as 2030-01-31T12:00:00Z");
    }
    if (!inRange(instant)) {
      throw ApiException.invalid(field + " must be a timestamp from year 0001 to year 9999");
    }
    return instant.toEpochMilli();
  }

  public static boolean inRange(Instant instant) {
    return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
  }
}
