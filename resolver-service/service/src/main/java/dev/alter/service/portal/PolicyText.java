package dev.alter.service.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.alter.service.JsonCodec;
import dev.alter.service.app.Requests;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A grant's policy as the portal shows it: one line per rule, and the JSON an operator edits. */
public final class PolicyText {
  private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

  private PolicyText() {}

  /** One line per rule, in words; empty for a grant without a policy. */
  public static List<String> lines(Requests.Policy p) {
    List<String> lines = new ArrayList<>();
    if (p == null) {
      return lines;
    }
    if (p.notBefore() != null) {
      lines.add("Not before " + p.notBefore());
    }
    if (p.windows() != null) {
      for (Requests.Window w : p.windows()) {
        lines.add(
            "Window " + days(w.days()) + " " + w.from() + "–" + w.to() + " (" + w.zone() + ")");
      }
    }
    if (p.networks() != null) {
      lines.add("Callers from " + String.join(", ", p.networks()));
    }
    if (p.rateLimits() != null) {
      for (Requests.Rate r : p.rateLimits()) {
        lines.add(
            "At most "
                + r.requests()
                + " requests per "
                + r.perSeconds()
                + " s per "
                + (r.per() == null ? "grant" : r.per()));
      }
    }
    if (p.resolvesPerMinute() != null) {
      lines.add("At most " + p.resolvesPerMinute() + " resolves per minute");
    }
    if (p.requests() != null) {
      lines.add("Only " + String.join(", ", p.requests()));
    }
    if (p.maxBodyBytes() != null) {
      lines.add("Request bodies of at most " + p.maxBodyBytes() + " bytes");
    }
    return lines;
  }

  /** The rules on one line, for tables; "none" without a policy. */
  public static String summary(Requests.Policy p) {
    List<String> lines = lines(p);
    return lines.isEmpty() ? "none" : String.join("; ", lines);
  }

  /** The policy as the JSON the edit form starts from; empty without a policy. */
  public static String json(Requests.Policy p) {
    if (p == null) {
      return "";
    }
    try {
      return JsonCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(p);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a policy", e);
    }
  }

  /** Consecutive days as a range: [mon, tue, wed, thu, fri, sun] is "mon–fri, sun". */
  static String days(List<String> days) {
    List<String> parts = new ArrayList<>();
    int i = 0;
    while (i < days.size()) {
      int j = i;
      while (j + 1 < days.size() && index(days.get(j + 1)) == index(days.get(j)) + 1) {
        j++;
      }
      parts.add(
          j - i >= 2 ? days.get(i) + "–" + days.get(j) : String.join(", ", days.subList(i, j + 1)));
      i = j + 1;
    }
    return String.join(", ", parts);
  }

  private static int index(String day) {
    return DAYS.indexOf(day.toLowerCase(Locale.ROOT));
  }
}
