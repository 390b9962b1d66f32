package dev.alter.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.IDN;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostNamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "api.datadoghq.com",
        "localhost",
        "a-b.example.org",
        "xn--80ak6aa92e.com",
        "s3.eu-west-1.amazonaws.com",
        "1a.2b",
        "9.example",
        "a"
      })
  void plainLowerCaseNamesTakeTheFastPathAndMatchIdna(String host) {
    assertThat(HostNames.isPlainLdhName(host)).as(host).isTrue();
    HostNames.Host normalised = HostNames.normalize(host);
    assertThat(normalised.name)
        .isEqualTo(IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT));
    assertThat(normalised.ipLiteral).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "1.2.3",
        "-a.com",
        "a-.com",
        "a..b",
        ".a.com",
        "a.com.",
        "api_x.com",
        "API.com",
        "bücher.de",
        "[::1]",
        "a b.com",
        ""
      })
  void anythingElseTakesTheFullPath(String host) {
    assertThat(HostNames.isPlainLdhName(host)).as(host).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {63, 64})
  void labelLengthLimitIsTheSameOnBothPaths(int labelLength) {
    String host = "a".repeat(labelLength) + ".example.com";
    assertThat(HostNames.isPlainLdhName(host)).isEqualTo(labelLength <= 63);
    if (labelLength <= 63) {
      assertThat(HostNames.normalize(host).name).isEqualTo(host);
    } else {
      assertThatThrownBy(() -> HostNames.normalize(host))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"-a.com", "a-.com", "api_x.com", "a..b"})
  void namesTheFastPathTurnsDownAreStillRefused(String host) {
    assertThatThrownBy(() -> HostNames.normalize(host))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"API.DatadogHQ.com", "api.datadoghq.com.", "bücher.de", "127.0.0.1"})
  void otherHostsAreNormalisedAsBefore(String host) {
    HostNames.Host normalised = HostNames.normalize(host);
    String expected = host.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
    if (!normalised.ipLiteral) {
      expected = IDN.toASCII(expected, IDN.USE_STD3_ASCII_RULES);
    }
    assertThat(normalised.name).isEqualTo(expected);
    assertThat(normalised.ipLiteral).isEqualTo(host.equals("127.0.0.1"));
  }
}
