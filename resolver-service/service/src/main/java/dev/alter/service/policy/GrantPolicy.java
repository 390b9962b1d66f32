package dev.alter.service.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.alter.contract.policy.RateLimit;
import dev.alter.contract.policy.RequestPolicy;
import dev.alter.contract.policy.RequestRule;
import dev.alter.service.JsonCodec;
import dev.alter.service.app.ApiException;
import dev.alter.service.app.Requests;
import dev.alter.service.app.Times;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A grant's policy, validated: when it may be used ({@code not_before}, time windows), from where
 * (the resolving agent's networks), how often (rate limits, resolves per minute) and for which
 * calls (method and path rules, body size). The service checks the first three at resolve time
 * ({@link #refusalAt}); the agent checks the request rules, body size and rates per request from
 * the {@link RequestPolicy} sealed into each answer ({@link #forAgent}).
 */
public final class GrantPolicy {
  public static final int MAX_WINDOWS = 32;
  public static final int MAX_NETWORKS = 100;
  public static final int MAX_RATE_LIMITS = 8;
  public static final int MAX_RULES = 100;
  public static final int MAX_RESOLVES_PER_MINUTE = 10_000;
  public static final long MAX_BODY_BYTES = 1L << 40;

  private static final String[] DAY_NAMES = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

  private final Requests.Policy canonical;
  private final Long notBefore;
  private final List<TimeWindow> windows;
  private final List<Cidr> networks;
  private final List<RateLimit> rateLimits;
  private final Integer resolvesPerMinute;
  private final List<RequestRule> rules;
  private final long maxBodyBytes;

  private GrantPolicy(
      Requests.Policy canonical,
      Long notBefore,
      List<TimeWindow> windows,
      List<Cidr> networks,
      List<RateLimit> rateLimits,
      Integer resolvesPerMinute,
      List<RequestRule> rules,
      long maxBodyBytes) {
    this.canonical = canonical;
    this.notBefore = notBefore;
    this.windows = windows;
    this.networks = networks;
    this.rateLimits = rateLimits;
    this.resolvesPerMinute = resolvesPerMinute;
    this.rules = rules;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Validates an operator's policy; null or empty is "no policy" (null).
   *
   * @param principalType the grant's principal type: per-identity rates need a user or group grant
   * @throws ApiException validation_failed naming the field ({@code policy.windows[0].zone}, …)
   */
  public static GrantPolicy validate(Requests.Policy p, String principalType) {
    if (p == null) {
      return null;
    }
    Long notBefore = p.notBefore() == null ? null : Times.parse("policy.not_before", p.notBefore());
    List<TimeWindow> windows = new ArrayList<>();
    List<Requests.Window> windowViews = null;
    if (p.windows() != null) {
      require(
          p.windows().size() <= MAX_WINDOWS,
          "policy.windows",
          "has at most " + MAX_WINDOWS + " windows");
      windowViews = new ArrayList<>();
      for (int i = 0; i < p.windows().size(); i++) {
        TimeWindow w = window(p.windows().get(i), "policy.windows[" + i + "]");
        windows.add(w);
        windowViews.add(view(w));
      }
    }
    List<Cidr> networks = new ArrayList<>();
    List<String> networkViews = null;
    if (p.networks() != null) {
      require(
          p.networks().size() <= MAX_NETWORKS,
          "policy.networks",
          "has at most " + MAX_NETWORKS + " networks");
      networkViews = new ArrayList<>();
      for (int i = 0; i < p.networks().size(); i++) {
        Cidr cidr;
        try {
          cidr = Cidr.parse(p.networks().get(i));
        } catch (IllegalArgumentException e) {
          throw ApiException.invalid("policy.networks[" + i + "] " + e.getMessage());
        }
        networks.add(cidr);
        networkViews.add(cidr.toString());
      }
    }
    List<RateLimit> rates = new ArrayList<>();
    List<Requests.Rate> rateViews = null;
    if (p.rateLimits() != null) {
      require(
          p.rateLimits().size() <= MAX_RATE_LIMITS,
          "policy.rate_limits",
          "has at most " + MAX_RATE_LIMITS + " limits");
      rateViews = new ArrayList<>();
      for (int i = 0; i < p.rateLimits().size(); i++) {
        String field = "policy.rate_limits[" + i + "]";
        Requests.Rate r = p.rateLimits().get(i);
        require(r != null, field, "is empty");
        require(r.requests() != null, field + ".requests", "is required");
        require(r.perSeconds() != null, field + ".per_seconds", "is required");
        String per = r.per() == null ? "grant" : r.per();
        require(
            per.equals("grant") || per.equals("identity"),
            field + ".per",
            "is 'grant' or 'identity'");
        boolean perIdentity = per.equals("identity");
        require(
            !perIdentity || "user".equals(principalType) || "group".equals(principalType),
            field + ".per",
            "'identity' applies to user and group grants (each member or user is limited apart)");
        try {
          rates.add(new RateLimit(r.requests(), r.perSeconds(), perIdentity));
        } catch (IllegalArgumentException e) {
          throw ApiException.invalid(field + ": " + e.getMessage());
        }
        rateViews.add(new Requests.Rate(r.requests(), r.perSeconds(), per));
      }
    }
    Integer resolves = p.resolvesPerMinute();
    if (resolves != null) {
      require(
          resolves >= 1 && resolves <= MAX_RESOLVES_PER_MINUTE,
          "policy.resolves_per_minute",
          "is between 1 and " + MAX_RESOLVES_PER_MINUTE);
    }
    List<RequestRule> rules = new ArrayList<>();
    List<String> ruleViews = null;
    if (p.requests() != null) {
      require(
          p.requests().size() <= MAX_RULES,
          "policy.requests",
          "has at most " + MAX_RULES + " rules");
      ruleViews = new ArrayList<>();
      for (int i = 0; i < p.requests().size(); i++) {
        RequestRule rule;
        try {
          rule = RequestRule.parse(p.requests().get(i));
        } catch (IllegalArgumentException e) {
          throw ApiException.invalid("policy.requests[" + i + "]: " + e.getMessage());
        }
        rules.add(rule);
        ruleViews.add(rule.toString());
      }
      require(
          !rules.isEmpty(),
          "policy.requests",
          "is absent for any request, or lists at least one rule");
    }
    long maxBody = -1;
    if (p.maxBodyBytes() != null) {
      require(
          p.maxBodyBytes() >= 0 && p.maxBodyBytes() <= MAX_BODY_BYTES,
          "policy.max_body_bytes",
          "is between 0 and " + MAX_BODY_BYTES);
      maxBody = p.maxBodyBytes();
    }
    Requests.Policy canonical =
        new Requests.Policy(
            notBefore == null ? null : Times.format(notBefore),
            windowViews,
            networkViews,
            rateViews,
            resolves,
            ruleViews,
            p.maxBodyBytes());
    if (canonical.equals(new Requests.Policy(null, null, null, null, null, null, null))) {
      return null;
    }
    return new GrantPolicy(
        canonical, notBefore, windows, networks, rates, resolves, rules, maxBody);
  }

  /** The stored form (canonical JSON). */
  public String toJson() {
    try {
      return JsonCodec.mapper().writeValueAsString(canonical);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a policy", e);
    }
  }

  /**
   * Reads a stored policy; null for none. A stored policy that no longer validates fails closed
   * (every resolve of the grant is refused until the operator sets it again).
   */
  public static GrantPolicy fromJson(String json, String principalType) {
    if (json == null) {
      return null;
    }
    Requests.Policy p;
    try {
      p = JsonCodec.mapper().readValue(json, Requests.Policy.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored grant policy is unreadable");
    }
    return validate(p, principalType);
  }

  /** What every view of the grant shows. */
  public Requests.Policy view() {
    return canonical;
  }

  public Integer resolvesPerMinute() {
    return resolvesPerMinute;
  }

  /**
   * Why a resolve at {@code now} from {@code client} (address bytes, null when unknown) is refused
   * by this policy, naming the rule; null when it is allowed.
   */
  public String refusalAt(Instant now, byte[] client) {
    if (notBefore != null && now.toEpochMilli() < notBefore) {
      return "rule not_before: the grant may be used from " + Times.format(notBefore);
    }
    if (!windows.isEmpty() && currentWindowEnd(now) == null) {
      return "rule windows: " + now + " is outside every time window of the grant";
    }
    if (!networks.isEmpty()) {
      if (client == null) {
        return "rule networks: the caller's address is unknown";
      }
      boolean inside = false;
      for (Cidr network : networks) {
        if (network.contains(client)) {
          inside = true;
          break;
        }
      }
      if (!inside) {
        return "rule networks: the caller's address is in none of the grant's networks";
      }
    }
    return null;
  }

  /**
   * The end of the time-window coverage holding {@code now} (the latest end among the windows that
   * contain it), or null when none does.
   */
  public Instant currentWindowEnd(Instant now) {
    Instant end = null;
    for (TimeWindow w : windows) {
      if (w.contains(now)) {
        Instant e = w.endOf(now);
        if (end == null || e.isAfter(end)) {
          end = e;
        }
      }
    }
    return end;
  }

  public boolean hasWindows() {
    return !windows.isEmpty();
  }

  /**
   * The request policy the agent enforces, sealed into the answer; null when the policy asks the
   * agent for nothing and no end applies.
   *
   * @param identity the verified subject per-identity rate limits count by, or null
   * @param validForMillis how long after it arrives the answer must stop being used (0: no end)
   */
  public RequestPolicy forAgent(String identity, long validForMillis) {
    boolean perIdentity = rateLimits.stream().anyMatch(RateLimit::perIdentity);
    RequestPolicy agent =
        new RequestPolicy(
            rules, maxBodyBytes, rateLimits, perIdentity ? identity : null, validForMillis);
    return agent.isEmpty() ? null : agent;
  }

  private static TimeWindow window(Requests.Window w, String field) {
    require(w != null, field, "is empty");
    require(
        w.days() != null && !w.days().isEmpty(),
        field + ".days",
        "lists at least one day (mon … sun, or a range such as mon-fri)");
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String d : w.days()) {
      days.addAll(days(d, field + ".days"));
    }
    LocalTime from = time(w.from(), field + ".from", false);
    LocalTime to = time(w.to(), field + ".to", true);
    require(
        to == null || from.isBefore(to),
        field,
        "from must be before to (a window cannot cross midnight: use two windows, e.g. 22:00-24:00 and 00:00-06:00 of the next day)");
    require(
        w.zone() != null && !w.zone().isEmpty(),
        field + ".zone",
        "is required: an IANA time zone such as Europe/Berlin");
    require(
        ZoneId.getAvailableZoneIds().contains(w.zone()),
        field + ".zone",
        "is not a known IANA time zone (such as Europe/Berlin or UTC)");
    return new TimeWindow(days, from, to, ZoneId.of(w.zone()));
  }

  private static Set<DayOfWeek> days(String text, String field) {
    require(text != null, field, "has an empty day");
    String t = text.trim().toLowerCase(Locale.ROOT);
    int dash = t.indexOf('-');
    if (dash < 0) {
      return EnumSet.of(day(t, field));
    }
    DayOfWeek first = day(t.substring(0, dash), field);
    DayOfWeek last = day(t.substring(dash + 1), field);
    require(
        first.compareTo(last) <= 0,
        field,
        "has a range that runs backwards (write mon-fri, not fri-mon)");
    return EnumSet.range(first, last);
  }

  private static DayOfWeek day(String t, String field) {
    for (int i = 0; i < DAY_NAMES.length; i++) {
      if (DAY_NAMES[i].equals(t)) {
        return DayOfWeek.of(i + 1);
      }
    }
    throw ApiException.invalid(field + " names days as mon, tue, wed, thu, fri, sat, sun");
  }

  private static LocalTime time(String text, String field, boolean endOfDayAllowed) {
    require(text != null, field, "is required (HH:MM)");
    if (endOfDayAllowed && text.equals("24:00")) {
      return null;
    }
    require(
        text.matches("\\d\\d:\\d\\d"),
        field,
        "is a time of day HH:MM (00:00 to " + (endOfDayAllowed ? "24:00" : "23:59") + ")");
    try {
      return LocalTime.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(field + " is a time of day HH:MM (00:00 to 23:59)");
    }
  }

  private static Requests.Window view(TimeWindow w) {
    List<String> days = new ArrayList<>();
    for (DayOfWeek d : w.days()) {
      days.add(DAY_NAMES[d.getValue() - 1]);
    }
    return new Requests.Window(
        days, w.from().toString(), w.to() == null ? "24:00" : w.to().toString(), w.zone().getId());
  }

  private static void require(boolean ok, String field, String what) {
    if (!ok) {
      throw ApiException.invalid(field + " " + what);
    }
  }
}
