package dev.alter.contract;

import java.util.List;

/**
 * Body of {@code POST /v1/policy-refusals}: the requests an agent refused under grant policies
 * since its last report, one entry per grant and rule. The service audits one row per entry.
 */
public final class PolicyRefusalReport {
  private List<Entry> refusals;

  public PolicyRefusalReport() {}

  public List<Entry> getRefusals() {
    return refusals;
  }

  public void setRefusals(List<Entry> refusals) {
    this.refusals = refusals;
  }

  /** {@code refused} requests of {@code grant_id} refused by {@code rule} since {@code since}. */
  public static final class Entry {
    private String grantId;
    private String rule;
    private long refused;
    private String since;

    public Entry() {}

    public String getGrantId() {
      return grantId;
    }

    public void setGrantId(String grantId) {
      this.grantId = grantId;
    }

    public String getRule() {
      return rule;
    }

    public void setRule(String rule) {
      this.rule = rule;
    }

    public long getRefused() {
      return refused;
    }

    public void setRefused(long refused) {
      this.refused = refused;
    }

    public String getSince() {
      return since;
    }

    public void setSince(String since) {
      this.since = since;
    }
  }
}
