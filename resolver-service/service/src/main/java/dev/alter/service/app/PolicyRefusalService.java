package dev.alter.service.app;

import dev.alter.contract.PolicyRefusalReport;
import dev.alter.contract.WireFormat;
import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.store.Database;
import dev.alter.service.store.GrantRecord;
import dev.alter.service.store.GrantRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/policy-refusals}: an agent's aggregated report of the requests grant policies
 * refused before sending them. Each entry becomes one audit row ({@code grant.policy_refused},
 * outcome denied, the rule and the count in the reason) and adds to the {@code
 * alter_policy_refusals_total} counter; entries naming a grant of another app are left out.
 */
public final class PolicyRefusalService {
  public static final int MAX_ENTRIES = 200;
  private static final Pattern RULE =
      Pattern.compile("[a-z_]+( [0-9]+/[0-9]+s per (grant|identity))?");

  private final Database db;
  private final GrantRepository grants;
  private final AuditTrail audit;
  private final MeterRegistry metrics;

  public PolicyRefusalService(
      Database db, GrantRepository grants, AuditTrail audit, MeterRegistry metrics) {
    this.db = db;
    this.grants = grants;
    this.audit = audit;
    this.metrics = metrics;
  }

  /** Validates the whole report first, then records it in one transaction; answers the count. */
  public Map<String, Integer> record(Caller caller, PolicyRefusalReport report) {
    if (report.getRefusals() == null) {
      throw ApiException.invalid("refusals is required");
    }
    if (report.getRefusals().size() > MAX_ENTRIES) {
      throw ApiException.invalid("refusals has at most " + MAX_ENTRIES + " entries");
    }
    for (int i = 0; i < report.getRefusals().size(); i++) {
      PolicyRefusalReport.Entry e = report.getRefusals().get(i);
      String field = "refusals[" + i + "]";
      if (e == null || !ApiKeys.isId(WireFormat.GRANT_ID_PREFIX, e.getGrantId())) {
        throw ApiException.invalid(field + ".grant_id is a grant id (grt_…)");
      }
      if (e.getRule() == null
          || e.getRule().length() > 80
          || !RULE.matcher(e.getRule()).matches()) {
        throw ApiException.invalid(field + ".rule names a policy rule such as requests");
      }
      if (e.getRefused() < 1 || e.getRefused() > 1_000_000_000L) {
        throw ApiException.invalid(field + ".refused is between 1 and 1000000000");
      }
      if (e.getSince() != null) {
        Times.parse(field + ".since", e.getSince());
      }
    }
    int recorded =
        db.inTransaction(
            c -> {
              int n = 0;
              for (PolicyRefusalReport.Entry e : report.getRefusals()) {
                Optional<GrantRecord> grant =
                    grants.find(c, e.getGrantId()).filter(g -> g.appId().equals(caller.appId()));
                if (grant.isEmpty()) {
                  continue;
                }
                audit.write(
                    c,
                    AuditTrail.event(caller.actor(), "grant.policy_refused", AuditTrail.DENIED)
                        .app(caller.appId())
                        .secret(grant.get().secretId())
                        .grant(e.getGrantId())
                        .reason(
                            "rule "
                                + e.getRule()
                                + " refused "
                                + e.getRefused()
                                + " request(s) before sending"
                                + (e.getSince() == null ? "" : " since " + e.getSince())));
                n++;
              }
              return n;
            });
    for (PolicyRefusalReport.Entry e : report.getRefusals()) {
      String rule = e.getRule().split(" ", 2)[0];
      Counter.builder("alter_policy_refusals")
          .description("Requests agents refused under grant policies, by rule")
          .tag("rule", rule)
          .register(metrics)
          .increment(e.getRefused());
    }
    return Map.of("recorded", recorded);
  }
}
