package dev.alter.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.contract.policy.RateLimit;
import dev.alter.contract.policy.RequestPolicy;
import dev.alter.contract.policy.RequestRule;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnforcedPolicyTest {
  private static final String GRANT = "grt_0123456789abcdef0123";
  private static final long NOW = Instant.parse("2026-12-07T12:00:00Z").toEpochMilli();

  private final PolicyRefusals refusals = new PolicyRefusals();
  private final EnforcedPolicy.Registry registry =
      new EnforcedPolicy.Registry(refusals, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

  private EnforcedPolicy compile(
      List<String> rules, long maxBody, List<RateLimit> rates, long validFor) {
    return EnforcedPolicy.compile(
        GRANT,
        new RequestPolicy(
            rules.stream().map(RequestRule::parse).toList(), maxBody, rates, null, validFor),
        registry);
  }

  private static OutgoingRequest get(String target) {
    return new OutgoingRequest("GET", "https", "api.github.com", -1, target)
        .body(OutgoingBody.none());
  }

  private static String refusal(EnforcedPolicy p, OutgoingRequest r, long now) {
    try {
      p.check(GRANT, r, now);
      return null;
    } catch (AlterCredentialException e) {
      assertThat(e.code()).isEqualTo("policy_violation");
      return e.getMessage();
    }
  }

  @Test
  void methodAndPathRulesNameTheRuleThatRefused() {
    EnforcedPolicy p = compile(List.of("GET /repos/*/*"), -1, List.of(), 0);
    assertThat(refusal(p, get("/repos/acme/widgets"), NOW)).isNull();
    assertThat(refusal(p, get("/repos/acme/widgets/../../../user"), NOW))
        .contains("refused by rule requests: no rule allows GET /user")
        .contains("grant " + GRANT)
        .contains("Nothing was sent");
    assertThat(refusal(p, get("/repos/acme%2Fwidgets/x"), NOW))
        .contains("the request path is ambiguous");
    assertThat(
            refusal(
                p, new OutgoingRequest("DELETE", "https", "api.github.com", -1, "/repos/a/b"), NOW))
        .contains("no rule allows DELETE /repos/a/b");
    assertThat(refusals.pending(GRANT)).isEqualTo(3);
    List<PolicyRefusals.Drained> drained = refusals.drain();
    assertThat(drained).hasSize(1);
    assertThat(drained.get(0).rule).isEqualTo("requests");
    assertThat(drained.get(0).refused).isEqualTo(3);
    assertThat(refusals.pending(GRANT)).isZero();
  }

  @Test
  void bodySizeFromTheBufferTheHeaderOrNothingKnown() {
    EnforcedPolicy p = compile(List.of(), 10, List.of(), 0);
    OutgoingRequest small =
        new OutgoingRequest("POST", "https", "h", -1, "/")
            .body(OutgoingBody.bytes(new byte[10], 0, 10));
    OutgoingRequest big =
        new OutgoingRequest("POST", "https", "h", -1, "/")
            .body(OutgoingBody.bytes(new byte[11], 0, 11));
    OutgoingRequest declared =
        new OutgoingRequest("POST", "https", "h", -1, "/")
            .header("Content-Length", "11")
            .body(OutgoingBody.streamed(-1));
    OutgoingRequest chunked =
        new OutgoingRequest("POST", "https", "h", -1, "/")
            .header("Transfer-Encoding", "chunked")
            .body(OutgoingBody.streamed(-1));
    assertThat(refusal(p, small, NOW)).isNull();
    assertThat(refusal(p, big, NOW)).contains("rule max_body_bytes: the body has 11 bytes");
    assertThat(refusal(p, declared, NOW)).contains("the body has 11 bytes");
    assertThat(refusal(p, chunked, NOW)).contains("not declared");
    assertThat(refusal(p, get("/"), NOW)).isNull();
  }

  @Test
  void aRateOfNPerSecondLetsNThroughAndCountsAcrossAnswers() {
    List<RateLimit> rate = List.of(new RateLimit(3, 1, false));
    EnforcedPolicy first = compile(List.of(), -1, rate, 0);
    assertThat(refusal(first, get("/"), NOW)).isNull();
    assertThat(refusal(first, get("/"), NOW + 1)).isNull();
    // a refreshed answer carries the same limit: it keeps counting
    EnforcedPolicy refreshed = compile(List.of(), -1, rate, 0);
    assertThat(refusal(refreshed, get("/"), NOW + 2)).isNull();
    assertThat(refusal(refreshed, get("/"), NOW + 3))
        .contains("refused by rule rate_limit 3/1s per grant");
    assertThat(refusal(refreshed, get("/"), NOW + 999)).isNotNull();
    assertThat(refusal(refreshed, get("/"), NOW + 1000)).isNull();
  }

  @Test
  void refusedRequestsUseNoRate() {
    EnforcedPolicy p = compile(List.of("GET /ok"), -1, List.of(new RateLimit(1, 60, false)), 0);
    assertThat(refusal(p, get("/not-ok"), NOW)).contains("rule requests");
    assertThat(refusal(p, get("/ok"), NOW)).isNull();
  }

  @Test
  void nothingIsInjectedFromTheEndOfTheWindowOn() {
    EnforcedPolicy p = compile(List.of(), -1, List.of(), 30_000);
    assertThat(refusal(p, get("/"), NOW + 29_999)).isNull();
    assertThat(refusal(p, get("/"), NOW + 30_000))
        .contains("refused by rule valid_until")
        .contains("2026-12-07T12:00:30Z");
  }

  @Test
  void aPolicyCheckOnTheWarmPathAllocatesNothing() {
    EnforcedPolicy p =
        compile(
            List.of("GET /a/*", "GET /b/**", "POST /v1/series", "GET /repos/*/*/pulls"),
            1024,
            List.of(new RateLimit(100_000, 1, false)),
            0);
    OutgoingRequest r = get("/repos/acme/widgets/pulls?state=open");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    for (int i = 0; i < 20_000; i++) {
      assertThat(refusal(p, r, NOW + i)).isNull();
    }
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < 1_000; i++) {
      try {
        p.check(GRANT, r, NOW + 30_000 + i);
      } catch (AlterCredentialException e) {
        throw new AssertionError(e);
      }
    }
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    assertThat(allocated / 1_000).as("bytes per check").isLessThan(16);
  }
}
