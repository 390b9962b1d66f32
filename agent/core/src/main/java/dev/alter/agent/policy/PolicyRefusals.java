package dev.alter.agent.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests a grant's policy refused, by grant and rule, until the next report drains
 * them: the service audits one row per grant, rule and report, never one per request.
 */
public final class PolicyRefusals {
  private final ConcurrentHashMap<String, Count> counts = new ConcurrentHashMap<>();

  /** One refused request. */
  void record(String grantId, String rule, long nowMillis) {
    counts.computeIfAbsent(grantId + '\n' + rule, k -> new Count(grantId, rule, nowMillis)).add();
  }

  /** The counts since the last drain, emptied. */
  public List<Drained> drain() {
    List<Drained> out = new ArrayList<>();
    for (Map.Entry<String, Count> e : counts.entrySet()) {
      if (counts.remove(e.getKey(), e.getValue())) {
        Count c = e.getValue();
        out.add(new Drained(c.grantId, c.rule, c.refused.sum(), c.firstAtMillis));
      }
    }
    return out;
  }

  /** Puts drained counts back (their report could not be delivered). */
  public void restore(List<Drained> drained) {
    for (Drained d : drained) {
      Count c =
          counts.computeIfAbsent(
              d.grantId + '\n' + d.rule, k -> new Count(d.grantId, d.rule, d.firstAtMillis));
      c.refused.add(d.refused);
    }
  }

  /** Refused requests counted and not yet drained, for one grant (tests and diagnostics). */
  public long pending(String grantId) {
    long n = 0;
    for (Count c : counts.values()) {
      if (c.grantId.equals(grantId)) {
        n += c.refused.sum();
      }
    }
    return n;
  }

  private static final class Count {
    final String grantId;
    final String rule;
    final long firstAtMillis;
    final LongAdder refused = new LongAdder();

    Count(String grantId, String rule, long firstAtMillis) {
      this.grantId = grantId;
      this.rule = rule;
      this.firstAtMillis = firstAtMillis;
    }

    void add() {
      refused.increment();
    }
  }

  /** Refusals of one grant by one rule since {@code firstAtMillis}. */
  public static final class Drained {
    public final String grantId;
    public final String rule;
    public final long refused;
    public final long firstAtMillis;

    public Drained(String grantId, String rule, long refused, long firstAtMillis) {
      this.grantId = grantId;
      this.rule = rule;
      this.refused = refused;
      this.firstAtMillis = firstAtMillis;
    }
  }
}
