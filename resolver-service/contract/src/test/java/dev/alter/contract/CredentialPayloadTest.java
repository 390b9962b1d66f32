package dev.alter.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialPayloadTest {
  @Test
  void roundTripsUnicodeAndSeveralParts() {
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("credential", "sk_live_ünïcødé");
    parts.put("application_key", "");
    CredentialPayload decoded = CredentialPayload.decode(CredentialPayload.of(parts).encode());
    assertThat(decoded.parts()).isEqualTo(parts);
    assertThat(decoded.primary()).isEqualTo("sk_live_ünïcødé");
  }

  @Test
  void toStringNeverShowsValues() {
    assertThat(CredentialPayload.single("marker-123").toString()).doesNotContain("marker-123");
  }

  @Test
  void rejectsTruncatedOrTrailingBytes() {
    byte[] encoded = CredentialPayload.single("abc").encode();
    assertThatThrownBy(() -> CredentialPayload.decode(Arrays.copyOf(encoded, encoded.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CredentialPayload.decode(Arrays.copyOf(encoded, encoded.length + 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void requiresThePrimaryPart() {
    assertThatThrownBy(() -> CredentialPayload.of(Map.of("other", "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
