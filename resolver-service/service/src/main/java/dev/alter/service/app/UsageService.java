package dev.alter.service.app;

import dev.alter.service.store.Database;
import dev.alter.service.store.GrantRecord;
import dev.alter.service.store.GrantRepository;
import dev.alter.service.store.SecretRecord;
import dev.alter.service.store.SecretRepository;
import dev.alter.service.store.UsageRepository;
import dev.alter.service.store.UsageRepository.Counts;
import dev.alter.service.store.UsageRepository.Rejection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Usage the agents report: per-minute aggregates per grant (and identity digest), queries over
 * them, Prometheus counters per grant, and the "rejected by provider" flag of a secret.
 *
 * <p>The flag opens when a report carries 401 or 403 responses for a grant of the secret, counts
 * them (first seen, last seen, count) and writes one {@code provider.rejected} audit event per
 * window; it clears on the first report of accepted (2xx) responses, without rejections, that
 * arrives after the secret was rotated past the version it was flagged at — the operator's fix.
 */
public final class UsageService {
  public static final Set<String> PARAMETERS =
      Set.of("app_id", "secret_id", "grant_id", "from", "to");
  static final Duration REJECTION_EVENT_WINDOW = Duration.ofHours(1);

  /** Prometheus series per grant stop growing here; further grants count under "other". */
  static final int MAX_GRANT_SERIES = 500;

  private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{16,64}");
  private static final Pattern CODE = Pattern.compile("[a-z_]{1,40}");
  private static final long MINUTE = 60_000;

  private final Database db;
  private final UsageRepository usage;
  private final GrantRepository grants;
  private final SecretRepository secrets;
  private final AuditTrail audit;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final Duration retention;
  private final Set<String> grantSeries = ConcurrentHashMap.newKeySet();

  public UsageService(
      Database db,
      UsageRepository usage,
      GrantRepository grants,
      SecretRepository secrets,
      AuditTrail audit,
      MeterRegistry metrics,
      Clock clock,
      Duration retention) {
    this.db = db;
    this.usage = usage;
    this.grants = grants;
    this.secrets = secrets;
    this.audit = audit;
    this.metrics = metrics;
    this.clock = clock;
    this.retention = retention;
  }

  /** Stores one batch an app's agent sent. Every entry must name a grant of that app. */
  public Views.UsageAccepted report(Caller caller, Requests.UsageReport report) {
    if (report == null || report.entries() == null || report.entries().isEmpty()) {
      throw ApiException.invalid("entries must list at least one grant's counts");
    }
    if (report.entries().size() > 10_000) {
      throw ApiException.invalid("at most 10000 entries per report");
    }
    long now = clock.millis();
    List<Requests.UsageEntry> entries = report.entries();
    for (Requests.UsageEntry e : entries) {
      validate(e, now);
    }
    db.inTransaction(
        c -> {
          for (Requests.UsageEntry e : entries) {
            GrantRecord grant =
                grants
                    .find(c, e.grantId())
                    .filter(g -> g.appId().equals(caller.appId()))
                    .orElseThrow(
                        () ->
                            ApiException.notFound(
                                "grant " + e.grantId() + " is not a grant of the calling app"));
            long minute = Times.parse("minute", e.minute()) / MINUTE * MINUTE;
            String digest = e.identityDigest() == null ? "" : e.identityDigest();
            Counts counts = counts(e);
            usage.add(
                c,
                new UsageRepository.Row(
                    minute, grant.grantId(), digest, grant.appId(), grant.secretId(), counts));
            if (e.refused() != null) {
              for (Map.Entry<String, Long> r : e.refused().entrySet()) {
                usage.addRefusals(
                    c,
                    minute,
                    grant.grantId(),
                    digest,
                    grant.appId(),
                    grant.secretId(),
                    r.getKey(),
                    r.getValue());
              }
            }
            track(c, grant, counts, now);
          }
          return null;
        });
    for (Requests.UsageEntry e : entries) {
      count(e.grantId(), counts(e));
    }
    return new Views.UsageAccepted(entries.size());
  }

  private void track(java.sql.Connection c, GrantRecord grant, Counts counts, long now)
      throws java.sql.SQLException {
    long rejected = counts.s401() + counts.s403();
    if (rejected == 0 && counts.s2xx() == 0) {
      return;
    }
    SecretRecord secret = secrets.findLiveForUpdate(c, grant.secretId()).orElse(null);
    if (secret == null) {
      return;
    }
    Rejection flag = usage.rejectionForUpdate(c, secret.secretId()).orElse(null);
    boolean open = flag != null && flag.clearedAt() == null;
    if (rejected > 0) {
      Rejection next;
      if (!open) {
        next =
            new Rejection(
                secret.secretId(),
                secret.appId(),
                now,
                now,
                rejected,
                secret.currentVersion(),
                now,
                null);
      } else {
        boolean newWindow = now - flag.lastEventAt() >= REJECTION_EVENT_WINDOW.toMillis();
        next =
            new Rejection(
                flag.secretId(),
                flag.appId(),
                flag.firstSeen(),
                now,
                flag.rejections() + rejected,
                flag.flaggedVersion(),
                newWindow ? now : flag.lastEventAt(),
                null);
      }
      usage.saveRejection(c, next);
      if (!open || next.lastEventAt() == now) {
        audit.write(
            c,
            AuditTrail.event("app:" + grant.appId(), "provider.rejected", AuditTrail.DENIED)
                .app(grant.appId())
                .secret(secret.secretId())
                .grant(grant.grantId())
                .reason(
                    "the provider answered 401/403 "
                        + next.rejections()
                        + " times since "
                        + Times.format(next.firstSeen())
                        + "; the credential may be revoked or expired at the provider:"
                        + " rotate it (alter secrets rotate)"));
      }
    } else if (open && secret.currentVersion() > flag.flaggedVersion()) {
      usage.saveRejection(
          c,
          new Rejection(
              flag.secretId(),
              flag.appId(),
              flag.firstSeen(),
              flag.lastSeen(),
              flag.rejections(),
              flag.flaggedVersion(),
              flag.lastEventAt(),
              now));
    }
  }

  /** Totals per grant (and identity digest) over a time range (default: the last 24 hours). */
  public Views.Usage query(Map<String, String> params) {
    for (String name : params.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw ApiException.invalid(
            "usage takes the query parameters app_id, secret_id, grant_id, from and to");
      }
    }
    long now = clock.millis();
    long to = params.get("to") == null ? now + MINUTE : Times.parse("to", params.get("to"));
    long from =
        params.get("from") == null
            ? to - Duration.ofDays(1).toMillis()
            : Times.parse("from", params.get("from"));
    if (from >= to) {
      throw ApiException.invalid("from must be before to");
    }
    UsageRepository.Filter f =
        new UsageRepository.Filter(
            params.get("app_id"), params.get("secret_id"), params.get("grant_id"), from, to);
    return db.inTransaction(
        c -> {
          List<Views.UsageRow> rows = new ArrayList<>();
          List<UsageRepository.Refusals> refusals = usage.refusals(c, f);
          for (UsageRepository.Row r : usage.totals(c, f)) {
            Counts n = r.counts();
            rows.add(
                new Views.UsageRow(
                    r.grantId(),
                    r.identityDigest().isEmpty() ? null : r.identityDigest(),
                    r.appId(),
                    r.secretId(),
                    n.injected(),
                    n.refused(),
                    Map.of(
                        "1xx", n.s1xx(), "2xx", n.s2xx(), "3xx", n.s3xx(), "4xx", n.s4xx(), "5xx",
                        n.s5xx()),
                    n.s401(),
                    n.s403(),
                    n.s429()));
          }
          Map<String, Map<String, Long>> byCode = new java.util.TreeMap<>();
          for (UsageRepository.Refusals r : refusals) {
            byCode
                .computeIfAbsent(r.grantId(), k -> new java.util.TreeMap<>())
                .put(r.code(), r.refused());
          }
          List<Views.ProviderRejection> flags = new ArrayList<>();
          String secretOfGrant =
              f.grantId() == null
                  ? null
                  : grants.find(c, f.grantId()).map(GrantRecord::secretId).orElse("");
          for (Rejection r : usage.openRejections(c, f.appId(), f.secretId())) {
            if (secretOfGrant == null || secretOfGrant.equals(r.secretId())) {
              flags.add(rejectionView(r));
            }
          }
          return new Views.Usage(Times.format(from), Times.format(to), rows, byCode, flags);
        });
  }

  /** Open "rejected by provider" flags, of one app or one secret when given. */
  public Views.ProviderRejections rejections(String appId, String secretId) {
    return new Views.ProviderRejections(
        db.inTransaction(c -> usage.openRejections(c, appId, secretId)).stream()
            .map(UsageService::rejectionView)
            .toList());
  }

  /** The secret's open "rejected by provider" flag, or null when the provider accepts it. */
  public Views.ProviderRejection rejection(String secretId) {
    List<Views.ProviderRejection> open = rejections(null, secretId).rejections();
    return open.isEmpty() ? null : open.get(0);
  }

  /** Drops aggregates older than the retention; returns how many rows went. */
  public int dropExpired() {
    long cutoff = clock.millis() - retention.toMillis();
    return db.inTransaction(c -> usage.deleteBefore(c, cutoff));
  }

  private static Views.ProviderRejection rejectionView(Rejection r) {
    return new Views.ProviderRejection(
        r.secretId(),
        r.appId(),
        Times.format(r.firstSeen()),
        Times.format(r.lastSeen()),
        r.rejections(),
        r.flaggedVersion());
  }

  private void count(String grantId, Counts n) {
    String label =
        grantSeries.contains(grantId) || grantSeries.size() < MAX_GRANT_SERIES ? grantId : "other";
    if (!label.equals("other")) {
      grantSeries.add(grantId);
    }
    add(label, "injected", n.injected());
    add(label, "refused", n.refused());
    add(label, "1xx", n.s1xx());
    add(label, "2xx", n.s2xx());
    add(label, "3xx", n.s3xx());
    add(label, "4xx", n.s4xx());
    add(label, "5xx", n.s5xx());
    add(label, "401", n.s401());
    add(label, "403", n.s403());
    add(label, "429", n.s429());
  }

  private void add(String grant, String kind, long n) {
    if (n > 0) {
      metrics.counter("alter_grant_usage", "grant", grant, "kind", kind).increment(n);
    }
  }

  private static Counts counts(Requests.UsageEntry e) {
    Map<String, Long> s = e.responses() == null ? Map.of() : e.responses();
    long refused =
        e.refused() == null ? 0 : e.refused().values().stream().mapToLong(Long::longValue).sum();
    return new Counts(
        nz(e.injected()),
        refused,
        s.getOrDefault("1xx", 0L),
        s.getOrDefault("2xx", 0L),
        s.getOrDefault("3xx", 0L),
        s.getOrDefault("4xx", 0L),
        s.getOrDefault("5xx", 0L),
        nz(e.status401()),
        nz(e.status403()),
        nz(e.status429()));
  }

  private static long nz(Long v) {
    return v == null ? 0 : v;
  }

  private void validate(Requests.UsageEntry e, long now) {
    if (e.grantId() == null || e.grantId().isEmpty() || e.grantId().length() > 40) {
      throw ApiException.invalid("each entry needs a grant_id");
    }
    if (e.minute() == null) {
      throw ApiException.invalid("each entry needs its minute (RFC 3339)");
    }
    long minute = Times.parse("minute", e.minute());
    if (minute > now + 5 * MINUTE || minute < now - retention.toMillis()) {
      throw ApiException.invalid("minute must be within the retention and not in the future");
    }
    if (e.identityDigest() != null && !DIGEST.matcher(e.identityDigest()).matches()) {
      throw ApiException.invalid("identity_digest must be 16-64 lower-case hex characters");
    }
    if (e.refused() != null) {
      for (Map.Entry<String, Long> r : e.refused().entrySet()) {
        if (!CODE.matcher(r.getKey()).matches() || r.getValue() == null || r.getValue() < 0) {
          throw ApiException.invalid("refused maps error codes to counts");
        }
      }
    }
    if (e.responses() != null) {
      for (Map.Entry<String, Long> r : e.responses().entrySet()) {
        if (!Set.of("1xx", "2xx", "3xx", "4xx", "5xx").contains(r.getKey())
            || r.getValue() == null
            || r.getValue() < 0) {
          throw ApiException.invalid("responses maps 1xx..5xx to counts");
        }
      }
    }
    for (Long v : new Long[] {e.injected(), e.status401(), e.status403(), e.status429()}) {
      if (v != null && v < 0) {
        throw ApiException.invalid("counts must not be negative");
      }
    }
  }
}
