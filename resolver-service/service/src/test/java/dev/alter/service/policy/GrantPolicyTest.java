package dev.alter.service.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.contract.policy.RequestPolicy;
import dev.alter.service.app.ApiException;
import dev.alter.service.app.Requests;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantPolicyTest {
  private static GrantPolicy windows(Requests.Window... windows) {
    return GrantPolicy.validate(
        new Requests.Policy(null, List.of(windows), null, null, null, null, null), "system");
  }

  private static Requests.Window window(String days, String from, String to, String zone) {
    return new Requests.Window(List.of(days), from, to, zone);
  }

  @Test
  void officeHoursInBerlinAcrossTheSpringDaylightSavingSwitch() {
    // 2026-03-29: Europe/Berlin moves from +01:00 to +02:00 at 02:00 local (01:00 UTC)
    GrantPolicy p = windows(window("sun", "01:00", "04:00", "Europe/Berlin"));
    assertThat(p.refusalAt(Instant.parse("2026-03-28T23:59:59Z"), null)).contains("windows");
    assertThat(p.refusalAt(Instant.parse("2026-03-29T00:00:00Z"), null)).isNull();
    // 04:00 local is +02:00 after the switch: 02:00 UTC, only 2 hours of real time after 01:00
    assertThat(p.currentWindowEnd(Instant.parse("2026-03-29T00:30:00Z")))
        .isEqualTo(Instant.parse("2026-03-29T02:00:00Z"));
    assertThat(p.refusalAt(Instant.parse("2026-03-29T01:59:59.999Z"), null)).isNull();
    assertThat(p.refusalAt(Instant.parse("2026-03-29T02:00:00Z"), null)).contains("windows");
  }

  @Test
  void windowEndInTheAutumnOverlapIsNeverInThePast() {
    // 2026-10-25: Europe/Berlin goes back from +02:00 to +01:00 at 03:00 local (01:00 UTC);
    // 02:00-02:59 local happens twice
    GrantPolicy p = windows(window("sun", "00:00", "02:30", "Europe/Berlin"));
    // 02:10 local on the first pass (+02:00) = 00:10 UTC: ends at 02:30 +02:00 = 00:30 UTC
    assertThat(p.currentWindowEnd(Instant.parse("2026-10-25T00:10:00Z")))
        .isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
    // 02:10 local on the second pass (+01:00) = 01:10 UTC: ends at 02:30 +01:00 = 01:30 UTC
    assertThat(p.currentWindowEnd(Instant.parse("2026-10-25T01:10:00Z")))
        .isEqualTo(Instant.parse("2026-10-25T01:30:00Z"));
    assertThat(p.refusalAt(Instant.parse("2026-10-25T01:30:00Z"), null)).contains("windows");
  }

  @Test
  void aZoneThatChangesItsOffsetIsReadWithTheRulesOfTheDay() {
    // Samoa moved across the date line: Thursday 2011-12-29 24:00 at -10:00 was followed by
    // Saturday 2011-12-31 00:00 at +14:00 (2011-12-30T10:00Z); that Friday never happened there
    GrantPolicy thursday = windows(window("thu", "00:00", "24:00", "Pacific/Apia"));
    assertThat(thursday.currentWindowEnd(Instant.parse("2011-12-30T09:00:00Z")))
        .isEqualTo(Instant.parse("2011-12-30T10:00:00Z"));
    assertThat(thursday.refusalAt(Instant.parse("2011-12-30T09:59:59.999Z"), null)).isNull();
    assertThat(thursday.refusalAt(Instant.parse("2011-12-30T10:00:00Z"), null)).contains("windows");
    GrantPolicy friday = windows(window("fri", "00:00", "24:00", "Pacific/Apia"));
    for (String t :
        List.of("2011-12-30T09:59:59Z", "2011-12-30T10:00:00Z", "2011-12-31T09:00:00Z")) {
      assertThat(friday.refusalAt(Instant.parse(t), null)).as(t).contains("windows");
    }
    GrantPolicy saturday = windows(window("sat", "00:00", "24:00", "Pacific/Apia"));
    assertThat(saturday.refusalAt(Instant.parse("2011-12-30T10:00:00Z"), null)).isNull();
    // the same wall-clock window a week later reads at the new offset: 00:00 +14:00 is 10:00 UTC
    assertThat(saturday.refusalAt(Instant.parse("2012-01-06T09:59:59Z"), null)).contains("windows");
    assertThat(saturday.refusalAt(Instant.parse("2012-01-06T10:00:00Z"), null)).isNull();
  }

  @Test
  void windowsInDifferentZonesAreEachReadInTheirOwnZone() {
    // Mon-Fri 08:00-18:00 Berlin (+01:00 in winter) and 09:00-17:00 New York (-05:00)
    GrantPolicy p =
        windows(
            window("mon-fri", "08:00", "18:00", "Europe/Berlin"),
            window("mon-fri", "09:00", "17:00", "America/New_York"));
    Instant mondayBerlinOpen = Instant.parse("2026-12-07T07:00:00Z");
    assertThat(p.refusalAt(mondayBerlinOpen.minusMillis(1), null)).contains("windows");
    assertThat(p.refusalAt(mondayBerlinOpen, null)).isNull();
    // at 16:59 UTC Berlin is open until 17:00 UTC, New York (open since 14:00 UTC) until 22:00 UTC
    assertThat(p.currentWindowEnd(Instant.parse("2026-12-07T16:59:00Z")))
        .isEqualTo(Instant.parse("2026-12-07T22:00:00Z"));
    assertThat(p.refusalAt(Instant.parse("2026-12-07T21:59:59Z"), null)).isNull();
    assertThat(p.refusalAt(Instant.parse("2026-12-07T22:00:00Z"), null)).contains("windows");
    // Saturday: neither
    assertThat(p.refusalAt(Instant.parse("2026-12-12T12:00:00Z"), null)).contains("windows");
    // New York's Friday evening is Berlin's Saturday: the New York window still holds
    assertThat(p.refusalAt(Instant.parse("2026-12-11T21:00:00Z"), null)).isNull();
  }

  @Test
  void aWindowToMidnightEndsAtTheStartOfTheNextDay() {
    GrantPolicy p = windows(window("sat", "22:00", "24:00", "UTC"));
    assertThat(p.currentWindowEnd(Instant.parse("2026-12-12T23:00:00Z")))
        .isEqualTo(Instant.parse("2026-12-13T00:00:00Z"));
    assertThat(p.refusalAt(Instant.parse("2026-12-13T00:00:00Z"), null)).contains("windows");
  }

  @Test
  void notBeforeAndNetworksAtTheirEdges() {
    GrantPolicy p =
        GrantPolicy.validate(
            new Requests.Policy(
                "2026-12-08T00:00:00Z",
                null,
                List.of("10.0.0.0/8", "2001:db8::/32"),
                null,
                null,
                null,
                null),
            "system");
    Instant start = Instant.parse("2026-12-08T00:00:00Z");
    byte[] inside = Cidr.literal("10.255.255.255");
    assertThat(p.refusalAt(start.minusMillis(1), inside)).contains("not_before");
    assertThat(p.refusalAt(start, inside)).isNull();
    assertThat(p.refusalAt(start, Cidr.literal("11.0.0.0"))).contains("networks");
    assertThat(p.refusalAt(start, Cidr.literal("2001:db8:ffff::1"))).isNull();
    assertThat(p.refusalAt(start, Cidr.literal("2001:db9::"))).contains("networks");
    assertThat(p.refusalAt(start, null)).contains("address is unknown");
  }

  @Test
  void theAgentGetsTheRequestRulesRatesAndTheEnd() {
    GrantPolicy p =
        GrantPolicy.validate(
            new Requests.Policy(
                null,
                null,
                null,
                List.of(new Requests.Rate(60, 60, null), new Requests.Rate(5, 1, "identity")),
                30,
                List.of("GET /repos/*/*", "/v1/**"),
                4096L),
            "user");
    RequestPolicy agent = p.forAgent("user:idp_1/alice", 45_000L);
    assertThat(agent.rules())
        .extracting(Object::toString)
        .containsExactly("GET /repos/*/*", "/v1/**");
    assertThat(agent.maxBodyBytes()).isEqualTo(4096);
    assertThat(agent.identity()).isEqualTo("user:idp_1/alice");
    assertThat(agent.validForMillis()).isEqualTo(45_000L);
    assertThat(p.resolvesPerMinute()).isEqualTo(30);
    assertThat(
            GrantPolicy.validate(
                    new Requests.Policy(null, null, null, null, 5, null, null), "system")
                .forAgent(null, 0))
        .as("only the service checks a resolve cap")
        .isNull();
  }

  @Test
  void badPoliciesNameTheField() {
    assertInvalid(
        windows0("mon", "08:00", "18:00", "Mars/Olympus"),
        "policy.windows[0].zone is not a known IANA");
    assertInvalid(
        windows0("mon", "18:00", "08:00", "UTC"), "policy.windows[0] from must be before to");
    assertInvalid(windows0("mon", "08:00", "08:00", "UTC"), "from must be before to");
    assertInvalid(windows0("funday", "08:00", "18:00", "UTC"), "policy.windows[0].days");
    assertInvalid(windows0("fri-mon", "08:00", "18:00", "UTC"), "runs backwards");
    assertInvalid(
        windows0("mon", "8am", "18:00", "UTC"), "policy.windows[0].from is a time of day");
    assertInvalid(windows0("mon", "08:00", "24:30", "UTC"), "policy.windows[0].to");
    assertInvalid(windows0("mon", "08:00", "18:00", "+02:00"), "IANA");
    assertInvalid(
        new Requests.Policy(null, null, List.of("10.0.0.1/8"), null, null, null, null),
        "policy.networks[0] has address bits set");
    assertInvalid(
        new Requests.Policy(null, null, null, null, null, List.of("GET /repos/re*"), null),
        "policy.requests[0]: '*' and '**' stand for whole segments");
    assertInvalid(
        new Requests.Policy(null, null, null, null, null, List.of(), null),
        "policy.requests is absent");
    assertInvalid(
        new Requests.Policy(
            null, null, null, List.of(new Requests.Rate(0, 1, null)), null, null, null),
        "policy.rate_limits[0]: requests is between");
    assertInvalid(
        new Requests.Policy(
            null, null, null, List.of(new Requests.Rate(5, 1, "identity")), null, null, null),
        "'identity' applies to user and group grants");
    assertInvalid(
        new Requests.Policy(null, null, null, null, 0, null, null), "policy.resolves_per_minute");
    assertInvalid(
        new Requests.Policy(null, null, null, null, null, null, -1L), "policy.max_body_bytes");
    assertInvalid(
        new Requests.Policy("tomorrow", null, null, null, null, null, null), "policy.not_before");
  }

  @Test
  void anEmptyPolicyIsNone() {
    assertThat(
            GrantPolicy.validate(
                new Requests.Policy(null, null, null, null, null, null, null), "system"))
        .isNull();
    assertThat(GrantPolicy.validate(null, "system")).isNull();
  }

  private static Requests.Policy windows0(String days, String from, String to, String zone) {
    return new Requests.Policy(
        null, List.of(window(days, from, to, zone)), null, null, null, null, null);
  }

  private static void assertInvalid(Requests.Policy p, String message) {
    assertThatThrownBy(() -> GrantPolicy.validate(p, "system"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining(message);
  }
}
