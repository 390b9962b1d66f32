package dev.alter.service.policy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * Some days of the week, hours {@code [from, to)} on each, in an IANA time zone: Mon–Fri
 * 08:00–18:00 Europe/Berlin. Days and hours are the zone's wall-clock time, so the window follows
 * its daylight-saving switches; {@code to} may be 24:00 (the end of the day).
 */
public final class TimeWindow {
  private final Set<DayOfWeek> days;
  private final LocalTime from;

  /** null for 24:00. */
  private final LocalTime to;

  private final ZoneId zone;

  TimeWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {
    this.days = EnumSet.copyOf(days);
    this.from = from;
    this.to = to;
    this.zone = zone;
  }

  public boolean contains(Instant now) {
    ZonedDateTime local = now.atZone(zone);
    LocalTime time = local.toLocalTime();
    return days.contains(local.getDayOfWeek())
        && !time.isBefore(from)
        && (to == null || time.isBefore(to));
  }

  /**
   * The instant this window's occurrence that holds {@code now} ends (call only when {@link
   * #contains} it). In an autumn overlap the offset in force now is preferred, so the end is never
   * the earlier of two instants that both read as {@code to}.
   */
  public Instant endOf(Instant now) {
    ZonedDateTime local = now.atZone(zone);
    if (to == null) {
      return local.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
    }
    Instant end =
        ZonedDateTime.ofLocal(LocalDateTime.of(local.toLocalDate(), to), zone, local.getOffset())
            .toInstant();
    return end.isAfter(now) ? end : now;
  }

  Set<DayOfWeek> days() {
    return days;
  }

  LocalTime from() {
    return from;
  }

  LocalTime to() {
    return to;
  }

  ZoneId zone() {
    return zone;
  }
}
