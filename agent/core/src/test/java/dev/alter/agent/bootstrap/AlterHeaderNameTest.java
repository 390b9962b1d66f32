package dev.alter.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlterHeaderNameTest {
  @ParameterizedTest
  @ValueSource(
      strings = {"alter-grant", "Alter-Grant", "ALTER-GRANT", "alter-identity", "Alter-IDENTITY"})
  void theTwoAlterHeadersMatchInAnyCase(String name) {
    assertThat(AlterBridge.isAlterHeader(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a",
        "alter-",
        "alter-gran",
        "alter-grants",
        "alter-grane",
        "blter-grant",
        "@lter-grant",
        "alter_grant",
        "alter-identit",
        "alter-identitx",
        "alter-identity-x",
        "Content-MD5",
        "Accept-Encoding",
        "Authorization",
        "alter-grant ",
        "\u00e1lter-grant"
      })
  void everyOtherNameDoesNot(String name) {
    assertThat(AlterBridge.isAlterHeader(name)).isFalse();
  }

  @Test
  void nullIsNoAlterHeader() {
    assertThat(AlterBridge.isAlterHeader(null)).isFalse();
  }
}
