package dev.alter.service.app;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** RFC 3339 UTC timestamps on the wire, epoch milliseconds in the store. */
public final class Times {
  private Times() {}

  public static String format(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis).toString();
  }

  /** @throws ApiException validation_failed naming {@code field} */
  public static long parse(String field, String text) {
    try {
      return java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli();
    } catch (DateTimeParseException | NullPointerException e) {
      throw ApiException.invalid(field + " must be an RFC 3339 timestamp such as 2030-01-31T12:00:00Z");
    }
  }
}
