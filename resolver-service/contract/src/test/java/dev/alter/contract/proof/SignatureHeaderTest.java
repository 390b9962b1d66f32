package dev.alter.contract.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureHeaderTest {
  private static final String KEY_ID = "03416ee63924ffc2d5029c49d3e68941";
  private static final String SIG = "MEQCIDIgFv-D04c9Z_w-HG1MBZvNAy7n";
  private static final String GOOD =
      "Alter-Signature keyId="
          + KEY_ID
          + ", ts=1796000000, nonce=AAAAAAAAAAAAAAAAAAAAAA, sig="
          + SIG;

  @Test
  void parsesWhatItFormats() {
    SignatureHeader h = SignatureHeader.parse(GOOD);
    assertThat(h.keyId()).isEqualTo(KEY_ID);
    assertThat(h.timestamp()).isEqualTo(1_796_000_000L);
    assertThat(h.nonce()).isEqualTo("AAAAAAAAAAAAAAAAAAAAAA");
    assertThat(h.signature()).isEqualTo(SIG);
    assertThat(h.format()).isEqualTo(GOOD);
    assertThat(SignatureHeader.parse("alter-signature " + GOOD.substring(16)).keyId())
        .isEqualTo(KEY_ID);
  }

  @Test
  void parsesTheAgentPair() {
    SignatureHeader h =
        SignatureHeader.parse(
            GOOD + ", agentKeyId=" + KEY_ID.replace('0', 'f') + ", agentSig=" + SIG);
    assertThat(h.agentKeyId()).isEqualTo(KEY_ID.replace('0', 'f'));
    assertThat(h.agentSignature()).isEqualTo(SIG);
  }

  @Test
  void tellsItsSchemeApart() {
    assertThat(SignatureHeader.isSignature(GOOD)).isTrue();
    assertThat(SignatureHeader.isSignature("Bearer alter_key_app_x")).isFalse();
    assertThat(SignatureHeader.isSignature("Alter-Signature")).isFalse();
    assertThat(SignatureHeader.isSignature(null)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Alter-Signature ts=1796000000, nonce=AAAAAAAAAAAAAAAAAAAAAA, sig=" + SIG,
        "Alter-Signature keyId=" + KEY_ID + ", nonce=AAAAAAAAAAAAAAAAAAAAAA, sig=" + SIG,
        "Alter-Signature keyId=" + KEY_ID + ", ts=1796000000, sig=" + SIG,
        "Alter-Signature keyId=" + KEY_ID + ", ts=1796000000, nonce=AAAAAAAAAAAAAAAAAAAAAA",
        "Alter-Signature keyId="
            + KEY_ID
            + ", keyId="
            + KEY_ID
            + ", ts=1796000000, nonce=AAAAAAAAAAAAAAAAAAAAAA, sig="
            + SIG,
        "Alter-Signature keyId=03416EE63924FFC2D5029C49D3E68941, ts=1796000000, nonce=AAAAAAAAAAAAAAAAAAAAAA, sig="
            + SIG,
        "Alter-Signature keyId=" + KEY_ID + ", ts=-1, nonce=AAAAAAAAAAAAAAAAAAAAAA, sig=" + SIG,
        "Alter-Signature keyId="
            + KEY_ID
            + ", ts=1796000000000000, nonce=AAAAAAAAAAAAAAAAAAAAAA, sig="
            + SIG,
        "Alter-Signature keyId=" + KEY_ID + ", ts=1796000000, nonce=short, sig=" + SIG,
        "Alter-Signature keyId="
            + KEY_ID
            + ", ts=1796000000, nonce=AAAAAAAAAAAAAAAAAAAAAA, sig=has+slash/==",
        "Alter-Signature keyId="
            + KEY_ID
            + ", ts=1796000000, nonce=AAAAAAAAAAAAAAAAAAAAAA, sig="
            + SIG
            + ", extra=1",
        "Alter-Signature keyId="
            + KEY_ID
            + ", ts=1796000000, nonce=AAAAAAAAAAAAAAAAAAAAAA, sig="
            + SIG
            + ", agentSig="
            + SIG,
        "Alter-Signature keyId="
            + KEY_ID
            + ", ts=1796000000, nonce=AAAAAAAAAAAAAAAAAAAAAA, sig="
            + SIG
            + ",",
        "Alter-Signature keyId" + KEY_ID,
        "Bearer alter_key_app_x"
      })
  void refusesMalformedHeadersWithoutQuotingThem(String header) {
    assertThatThrownBy(() -> SignatureHeader.parse(header))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain(KEY_ID)
                    .doesNotContain(SIG)
                    .doesNotContain("AAAAAAAAAAAAAAAAAAAAAA")
                    .doesNotContain("alter_key_app_x"));
  }

  @Test
  void refusesAnOverlongHeader() {
    assertThatThrownBy(() -> SignatureHeader.parse(GOOD + ", agentKeyId=" + "a".repeat(2000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than");
  }

  @Test
  void printsNoSignature() {
    assertThat(SignatureHeader.parse(GOOD).toString()).doesNotContain(SIG);
  }
}
