package dev.alter.bench;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.policy.EnforcedPolicy;
import dev.alter.agent.policy.PolicyRefusals;
import dev.alter.contract.policy.RateLimit;
import dev.alter.contract.policy.RequestPolicy;
import dev.alter.contract.policy.RequestRule;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Section 9: what a grant policy with 10 path rules and a rate limit adds to the warm tagged path.
 * That addition is exactly one {@code EnforcedPolicy.check} per request (the policy is compiled
 * once per resolve answer), so it is measured in-process on the agent's own classes: the same
 * request checked in a tight loop after warm-up, time per check and bytes allocated per check (the
 * thread's allocation counter), for a path that matches the last rule (the worst case for an
 * allowed call), one that matches the first, and one that needs normalising.
 */
final class PolicyCheckBenchmark {
  private static final String GRANT = "grt_0123456789abcdef0123";
  private static final List<String> RULES =
      List.of(
          "GET /api/v1/validate",
          "POST /api/v2/series",
          "POST /api/v2/logs",
          "GET /api/v1/monitor/*",
          "GET /api/v1/dashboard/*",
          "PUT /api/v1/monitor/*",
          "GET /repos/*/*",
          "GET /repos/*/*/issues",
          "/v1/**",
          "GET /repos/*/*/pulls/*");

  private final Settings settings;

  /**
   * Simulated time, advancing 20 µs a check across all cases (50000/s, under the 100000/s limit).
   */
  private long now = 1_800_000_000_000L;

  PolicyCheckBenchmark(Settings settings) {
    this.settings = settings;
  }

  void run(Report report) throws AlterCredentialException {
    EnforcedPolicy policy =
        EnforcedPolicy.compile(
            GRANT,
            new RequestPolicy(
                RULES.stream().map(RequestRule::parse).toList(),
                1 << 20,
                List.of(new RateLimit(RateLimit.MAX_REQUESTS, 1, false)),
                null,
                0),
            new EnforcedPolicy.Registry(new PolicyRefusals()));
    MarkdownTable table =
        new MarkdownTable(
            "Request (10 rules, rate limit, body limit)",
            "ns per request",
            "bytes allocated per request");
    for (String[] c :
        new String[][] {
          {
            "GET /repos/acme/widgets/pulls/7?state=open (last rule)",
            "/repos/acme/widgets/pulls/7?state=open",
            "GET"
          },
          {"GET /api/v1/validate (first rule)", "/api/v1/validate", "GET"},
          {
            "GET /repos/acme/./widgets//pulls/7 (normalised first)",
            "/repos/acme/./widgets//pulls/7",
            "GET"
          }
        }) {
      OutgoingRequest request =
          new OutgoingRequest(c[2], "https", "api.github.com", -1, c[1]).body(OutgoingBody.none());
      long[] measured = measure(policy, request);
      table.row(c[0], String.valueOf(measured[0]), String.valueOf(measured[1]));
    }
    report.section(
        "9. Grant policy check on the warm tagged path",
        table,
        "What a policy adds per request: one EnforcedPolicy.check on the agent's classes, in-process, "
            + "after "
            + warmupChecks()
            + " warm-up checks; rate limit "
            + RateLimit.MAX_REQUESTS
            + "/1s so no check is refused. Compare with section 1's per-request cost of the agent.");
  }

  private long warmupChecks() {
    return "smoke".equals(settings.mode()) ? 20_000 : 200_000;
  }

  /** {ns per check, bytes per check}. */
  private long[] measure(EnforcedPolicy policy, OutgoingRequest request)
      throws AlterCredentialException {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long n = warmupChecks();
    for (long i = 0; i < n; i++) {
      policy.check(GRANT, request, now + i / 50);
    }
    now += n / 50 + 1;
    long bytesBefore = threads.getThreadAllocatedBytes(id);
    long started = System.nanoTime();
    for (long i = 0; i < n; i++) {
      policy.check(GRANT, request, now + i / 50);
    }
    now += n / 50 + 1;
    long nanos = System.nanoTime() - started;
    long bytes = threads.getThreadAllocatedBytes(id) - bytesBefore;
    return new long[] {nanos / n, bytes / n};
  }
}
