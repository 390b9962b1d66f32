package dev.alter.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PartPlaceholdersTest {
  @Test
  void partNamesAreLowerCaseLettersDigitsAndUnderscoreStartingWithALetter() {
    assertThat(PartPlaceholders.isPartName("application_key")).isTrue();
    assertThat(PartPlaceholders.isPartName("k2")).isTrue();
    assertThat(PartPlaceholders.isPartName("a".repeat(64))).isTrue();
    assertThat(PartPlaceholders.isPartName("a".repeat(65))).isFalse();
    assertThat(PartPlaceholders.isPartName("Key")).isFalse();
    assertThat(PartPlaceholders.isPartName("api-key")).isFalse();
    assertThat(PartPlaceholders.isPartName("2fa")).isFalse();
    assertThat(PartPlaceholders.isPartName("")).isFalse();
    assertThat(PartPlaceholders.isPartName(null)).isFalse();
  }

  @Test
  void placeholdersAreFoundInOrderOfFirstUse() {
    assertThat(PartPlaceholders.partsIn("{key}:{credential}/{key}"))
        .containsExactly("key", "credential");
    assertThat(PartPlaceholders.partsIn("Bearer {Credential} {api-key}")).isEmpty();
  }

  @Test
  void aBraceOutsideAPlaceholderIsStray() {
    assertThat(PartPlaceholders.hasStrayBrace("Bearer {credential}")).isFalse();
    assertThat(PartPlaceholders.hasStrayBrace("Bearer {credential")).isTrue();
    assertThat(PartPlaceholders.hasStrayBrace("{Credential}")).isTrue();
    assertThat(PartPlaceholders.hasStrayBrace("{}")).isTrue();
  }

  @Test
  void fillReplacesEachPlaceholderWithItsValueVerbatim() {
    Map<String, String> parts = Map.of("credential", "s3cr$t\\1", "site", "eu");
    assertThat(PartPlaceholders.fill("Key {credential}; site={site}; {credential}", parts))
        .isEqualTo("Key s3cr$t\\1; site=eu; s3cr$t\\1");
    assertThat(PartPlaceholders.fill("no placeholders {Upper}", parts))
        .isEqualTo("no placeholders {Upper}");
  }
}
