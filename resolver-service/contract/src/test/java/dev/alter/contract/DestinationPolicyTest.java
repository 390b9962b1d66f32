package dev.alter.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationPolicyTest {
  private final DestinationPolicy datadog =
      DestinationPolicy.of(
          List.of(
              "https://api.datadoghq.com",
              "https://api.datadoghq.eu",
              "https://*.example.org",
              "https://**.amazonaws.com",
              "http://127.0.0.1:8080",
              "https://[::1]:8443"));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://api.datadoghq.com/api/v1/validate",
        "https://API.DatadogHQ.com/x",
        "https://api.datadoghq.com./x",
        "https://api.datadoghq.com:443/x",
        "https://tenant.example.org/",
        "https://s3.us-east-1.amazonaws.com/b",
        "https://bucket.s3.eu-west-1.amazonaws.com/k",
        "http://127.0.0.1:8080/plain",
        "https://[0:0:0:0:0:0:0:1]:8443/v6"
      })
  void allowsNormalisedMatches(String url) {
    assertThat(datadog.checkUrl(url).allowed()).as(url).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://api.datadoghq.com@evil.test/",
        "https://evil.test/?https://api.datadoghq.com",
        "https://api.datadoghq.com:8443/",
        "https://api.datadoghq.com.evil.test/",
        "https://xapi.datadoghq.com/",
        "https://a.b.example.org/",
        "https://example.org/",
        "https://amazonaws.com/",
        "https://api.dаtadoghq.com/",
        "https://api_datadoghq.com/",
        "https://52.1.2.3/",
        "https://127.0.0.1:8080/",
        "http://127.0.0.1:8081/"
      })
  void refusesBypassAttempts(String url) {
    DestinationPolicy.Decision d = datadog.checkUrl(url);
    assertThat(d.allowed()).as(url).isFalse();
    assertThat(d.error).isIn(ErrorCode.HOST_NOT_ALLOWED, ErrorCode.INSECURE_SCHEME);
  }

  @Test
  void plainHttpToAnHttpsOnlyHostIsInsecureScheme() {
    DestinationPolicy policy = DestinationPolicy.of(List.of("https://api.stripe.com"));
    assertThat(policy.check("http", "api.stripe.com", 443).error)
        .isEqualTo(ErrorCode.INSECURE_SCHEME);
    assertThat(policy.checkUrl("http://api.stripe.com/v1").error)
        .isEqualTo(ErrorCode.INSECURE_SCHEME);
    assertThat(policy.checkUrl("http://evil.test/").error).isEqualTo(ErrorCode.HOST_NOT_ALLOWED);
  }

  @Test
  void plainHttpToAnHttpDestinationOnAnotherPortIsHostNotAllowed() {
    DestinationPolicy policy =
        DestinationPolicy.of(List.of("http://127.0.0.1:9000", "https://api.stripe.com"));
    DestinationPolicy.Decision d = policy.check("http", "127.0.0.1", 9001);
    assertThat(d.error).isEqualTo(ErrorCode.HOST_NOT_ALLOWED);
    assertThat(d.reason).contains("127.0.0.1:9001").doesNotContain("only https");
    assertThat(policy.check("http", "127.0.0.1", 9000).allowed()).isTrue();
    assertThat(policy.check("http", "api.stripe.com", 80).error)
        .isEqualTo(ErrorCode.INSECURE_SCHEME);
  }

  @Test
  void idnPatternsAreStoredInAsciiForm() {
    assertThat(DestinationPattern.parse("https://bücher.example").toString())
        .isEqualTo("https://xn--bcher-kva.example");
    assertThat(
            DestinationPolicy.of(List.of("https://bücher.example"))
                .checkUrl("https://xn--bcher-kva.example/")
                .allowed())
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "api.datadoghq.com",
        "ftp://x.com",
        "https://",
        "https://x.com/path",
        "https://user@x.com",
        "https://*.com",
        "https://a.*.com",
        "https://*.127.0.0.1",
        "https://x.com:0",
        "https://x.com:70000",
        "https://under_score.com"
      })
  void rejectsMalformedPatterns(String pattern) {
    assertThatThrownBy(() -> DestinationPattern.parse(pattern))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://2130706433",
        "https://127.1",
        "https://127.0.1",
        "https://0x7f000001",
        "https://0x7f.0.0.1",
        "https://0177.0.0.1",
        "https://127.0.0.01",
        "https://017700000001",
        "https://1.2.3.4.5",
        "https://0x",
        "https://example.123",
        "https://*.example.0x1f",
        "https://\uff11\uff12\uff17.\uff10.\uff10.\uff11",
        "https://api.stripe.com:+443",
        "https://api.stripe.com:-443",
        "https://api.stripe.com: 443",
        "https://api.stripe.com:\u0664\u0664\u0663",
        "https://api.stripe.com:443443"
      })
  void numericHostFormsAndSignedPortsAreRefused(String pattern) {
    assertThatThrownBy(() -> DestinationPattern.parse(pattern))
        .as(pattern)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching("(host is a numeric form|destination port must).*");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://2130706433/",
        "https://127.1/",
        "https://0x7f.0.0.1/",
        "https://0177.0.0.1/",
        "https://127.0.0.01/",
        "https://api.stripe.com:+443/"
      })
  void aRequestToANumericHostFormNeverMatchesTheAddressItStandsFor(String url) {
    DestinationPolicy policy =
        DestinationPolicy.of(List.of("https://127.0.0.1", "https://api.stripe.com"));
    DestinationPolicy.Decision d = policy.checkUrl(url);
    assertThat(d.allowed()).as(url).isFalse();
    assertThat(d.error).isEqualTo(ErrorCode.HOST_NOT_ALLOWED);
  }

  @Test
  void aDottedQuadAndNamesEndingInLettersStillParse() {
    assertThat(DestinationPattern.parse("https://127.0.0.1:8443").toString())
        .isEqualTo("https://127.0.0.1:8443");
    assertThat(DestinationPattern.parse("https://1e100.net").toString())
        .isEqualTo("https://1e100.net");
    assertThat(DestinationPattern.parse("https://0x7f.example.com").toString())
        .isEqualTo("https://0x7f.example.com");
    assertThat(DestinationPattern.parse("https://api.stripe.com:00443").toString())
        .isEqualTo("https://api.stripe.com");
    assertThat(DestinationPattern.parse("https://*.example.com").wildcardDomain())
        .isEqualTo("example.com");
    assertThat(DestinationPattern.parse("https://**.amazonaws.com").wildcardDomain())
        .isEqualTo("amazonaws.com");
    assertThat(DestinationPattern.parse("https://api.example.com").wildcardDomain()).isNull();
  }

  @Test
  void canonicalFormDropsDefaultPortAndCase() {
    assertThat(DestinationPattern.parse("HTTPS://API.Stripe.com:443/").toString())
        .isEqualTo("https://api.stripe.com");
    assertThat(DestinationPattern.parse("http://localhost:8080").isPlainHttp()).isTrue();
  }

  @Test
  void anAllowedOriginRememberedForRepeatsNeverAllowsAnotherHostPortOrScheme() {
    DestinationPolicy policy =
        DestinationPolicy.of(List.of("https://api.datadoghq.com", "http://127.0.0.1:8080"));
    assertThat(policy.check("https", "api.datadoghq.com", -1).allowed()).isTrue();
    assertThat(policy.check("https", "api.datadoghq.com", -1).allowed())
        .as("the remembered repeat")
        .isTrue();

    assertThat(policy.check("https", "api.datadoghq.com", 8443).error)
        .isEqualTo(ErrorCode.HOST_NOT_ALLOWED);
    assertThat(policy.check("http", "api.datadoghq.com", -1).error)
        .isEqualTo(ErrorCode.INSECURE_SCHEME);
    assertThat(policy.check("https", "evil.test", -1).error).isEqualTo(ErrorCode.HOST_NOT_ALLOWED);
    assertThat(policy.check("https", "api.datadoghq.com.evil.test", -1).allowed()).isFalse();
    assertThat(policy.check("HTTPS", "API.datadoghq.com", 443).allowed())
        .as("same origin, other spelling")
        .isTrue();

    assertThat(policy.check("http", "127.0.0.1", 8080).allowed()).isTrue();
    assertThat(policy.check("https", "127.0.0.1", 8080).allowed())
        .as("scheme differs from the remembered one")
        .isFalse();
    assertThat(policy.check("http", "127.0.0.1", 8081).allowed()).isFalse();
    assertThat(policy.check("https", "api.datadoghq.com", 443).allowed()).isTrue();
  }

  @Test
  void aDenialIsNeverRemembered() {
    DestinationPolicy policy = DestinationPolicy.of(List.of("https://api.datadoghq.com"));
    for (int i = 0; i < 3; i++) {
      DestinationPolicy.Decision denied = policy.check("https", "evil.test", -1);
      assertThat(denied.allowed()).isFalse();
      assertThat(denied.reason).contains("evil.test");
    }
    assertThat(policy.check(null, "api.datadoghq.com", -1).error)
        .isEqualTo(ErrorCode.INSECURE_SCHEME);
    assertThat(policy.check("https", null, -1).error).isEqualTo(ErrorCode.HOST_NOT_ALLOWED);
  }
}
