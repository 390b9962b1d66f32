package dev.alter.contract.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.contract.CredentialPayload;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RequestPolicyTest {

  private static RequestPolicy rules(String... rules) {
    return new RequestPolicy(
        Stream.of(rules).map(RequestRule::parse).collect(Collectors.toList()),
        -1,
        List.of(),
        null,
        0);
  }

  @Test
  void methodAndPathRulesAllowOnlyWhatTheyName() {
    RequestPolicy p = rules("GET /repos/*/*", "POST /api/v2/series", "/v1/**");
    assertThat(p.allowsRequest("GET", "/repos/acme/widgets")).isTrue();
    assertThat(p.allowsRequest("GET", "/repos/acme/widgets?per_page=1")).isTrue();
    assertThat(p.allowsRequest("GET", "/repos/acme/widgets/")).isTrue();
    assertThat(p.allowsRequest("DELETE", "/repos/acme/widgets")).isFalse();
    assertThat(p.allowsRequest("GET", "/repos/acme")).isFalse();
    assertThat(p.allowsRequest("GET", "/repos/acme/widgets/hooks")).isFalse();
    assertThat(p.allowsRequest("POST", "/api/v2/series")).isTrue();
    assertThat(p.allowsRequest("GET", "/api/v2/series")).isFalse();
    assertThat(p.allowsRequest("DELETE", "/v1")).isTrue();
    assertThat(p.allowsRequest("PUT", "/v1/a/b/c")).isTrue();
    assertThat(p.allowsRequest("GET", "/v10/a")).isFalse();
    assertThat(p.allowsRequest("GET", "/")).isFalse();
  }

  @Test
  void dotSegmentsDoubleSlashesAndEncodingCannotSlipPastARule() {
    RequestPolicy p = rules("GET /repos/*/*");
    assertThat(p.allowsRequest("GET", "/repos/a/b/../../../admin")).isFalse();
    assertThat(p.allowsRequest("GET", "/repos/a/%2e%2e/%2E%2E/admin/x")).isFalse();
    assertThat(p.allowsRequest("GET", "/repos//a/b")).isTrue();
    assertThat(p.allowsRequest("GET", "//repos/a/b")).isTrue();
    assertThat(p.allowsRequest("GET", "/repos/a/./b")).isTrue();
    assertThat(p.allowsRequest("GET", "/repos/x/../a/b")).isTrue();
    assertThat(p.allowsRequest("GET", "/%72epos/a/b")).isTrue();
    assertThat(p.allowsRequest("GET", "/repos/a%2Fb/c")).isFalse();
    assertThat(p.allowsRequest("GET", "/repos/a%5Cb/c")).isFalse();
    assertThat(p.allowsRequest("GET", "/repos/a\\b/c")).isFalse();
    assertThat(p.allowsRequest("GET", "/repos/a/..;/b/c")).isFalse();
    assertThat(p.allowsRequest("GET", "/repos/a/b%00")).isFalse();
    assertThat(p.allowsRequest("GET", "/repos/a/%zz")).isFalse();
    assertThat(p.allowsRequest("GET", "/repos/a/%C3%28")).isFalse();
    assertThat(p.allowsRequest("GET", "repos/a/b")).isFalse();
    assertThat(p.allowsRequest("GET", "http://example.com/repos/a/b")).isFalse();
  }

  @Test
  void literalsCompareWithDecodedSegments() {
    RequestPolicy p = rules("GET /files/caf\u00e9");
    assertThat(p.allowsRequest("GET", "/files/caf%C3%A9")).isTrue();
    assertThat(p.allowsRequest("GET", "/files/CAF%C3%A9")).isFalse();
  }

  @Test
  void normalPathsAreMatchedInPlace() {
    assertThat(RequestPath.normalEnd("/a/b?x=/../")).isEqualTo(4);
    assertThat(RequestPath.normalEnd("/a/b/")).isEqualTo(4);
    assertThat(RequestPath.normalEnd("/")).isZero();
    assertThat(RequestPath.normalEnd("/a/.b")).isEqualTo(-1);
    assertThat(RequestPath.normalEnd("/a%20b")).isEqualTo(-1);
    assertThat(RequestPath.normalise("/a/./b/../c//d/")).isEqualTo("/a/c/d");
    assertThat(RequestPath.normalise("/../..")).isEmpty();
  }

  @Test
  void badPatternsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> RequestRule.parse("GET repos"))
        .hasMessageContaining("starts with '/'");
    assertThatThrownBy(() -> RequestRule.parse("get /x")).hasMessageContaining("upper-case");
    assertThatThrownBy(() -> RequestRule.parse("GET /re*")).hasMessageContaining("whole segments");
    assertThatThrownBy(() -> RequestRule.parse("GET /a//b")).hasMessageContaining("empty segment");
    assertThatThrownBy(() -> RequestRule.parse("GET /a/../b")).hasMessageContaining("'..'");
    assertThatThrownBy(() -> RequestRule.parse("GET /a%2Fb")).hasMessageContaining("decoded");
    assertThatThrownBy(() -> RequestRule.parse(" ")).hasMessageContaining("METHOD /path");
  }

  @Test
  void policyTravelsInThePayloadAndUnknownRestrictionsFailTheDecode() {
    RequestPolicy p =
        new RequestPolicy(
            List.of(RequestRule.parse("GET /repos/*/*"), RequestRule.parse("/v1/**")),
            1024,
            List.of(new RateLimit(60, 60, false), new RateLimit(5, 1, true)),
            "user:idp_1/alice",
            45_000L);
    CredentialPayload sealed = CredentialPayload.single("tok").withRequestPolicy(p);
    CredentialPayload opened = CredentialPayload.decode(sealed.encode());
    assertThat(opened.parts()).containsOnlyKeys("credential");
    RequestPolicy back = opened.requestPolicy();
    assertThat(back.encode()).isEqualTo(p.encode());
    assertThat(back.rules())
        .extracting(Object::toString)
        .containsExactly("GET /repos/*/*", "/v1/**");
    assertThat(back.maxBodyBytes()).isEqualTo(1024);
    assertThat(back.identity()).isEqualTo("user:idp_1/alice");
    assertThat(back.validForMillis()).isEqualTo(45_000L);
    assertThat(back.rateLimits())
        .extracting(Object::toString)
        .containsExactly("rate_limit 60/60s per grant", "rate_limit 5/1s per identity");
    assertThatThrownBy(() -> RequestPolicy.decode("v=1\nmax_header_bytes=10\n"))
        .hasMessageContaining("unknown policy restriction");
    assertThatThrownBy(() -> RequestPolicy.decode("v=2\n")).hasMessageContaining("version");
  }
}
