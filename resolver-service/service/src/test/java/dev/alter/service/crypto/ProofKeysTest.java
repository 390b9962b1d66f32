package dev.alter.service.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.contract.proof.ProofKey;
import dev.alter.contract.proof.RequestSigning;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;

/**
 * The service's side of the contract's pinned proof-key vectors (ProofKeyTest, RequestSigningTest).
 */
class ProofKeysTest {
  private static final String KEY = "alter_key_app_" + "A".repeat(43);
  private static final String PUBLIC_KEY =
      "041f4f5388eb2fb5d532f0871f20987c6c71dbaf8c1b6b0a7b188c59de629df702"
          + "066744ed94f7760e4f90b97a276e3024365b183be98a67a2394bc81c20e06b7f";
  private static final String SIGNED_STRING =
      "alter-signature-v1\nPOST\n/v1/resolve\n127.0.0.1:8443\n1796000000\n"
          + "AAAAAAAAAAAAAAAAAAAAAA\n44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
  private static final String SIGNATURE =
      "MEQCIDIgFv-D04c9Z_w-HG1MBZvNAy7nWLCgYQaPEw-UgukDAiAdn440riI7GXGxXflCuO5WreqLoN_zieOvFvTlK2yXeA";

  @Test
  void storesThePinnedKeyIdAndPublicKeyFromTheKeyOrItsHash() throws Exception {
    ProofKeys.Stored fromKey = ProofKeys.of(KEY);
    assertThat(fromKey.keyId()).isEqualTo("03416ee63924ffc2d5029c49d3e68941");
    assertThat(fromKey.publicKey()).isEqualTo(PUBLIC_KEY);
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(KEY.getBytes(StandardCharsets.UTF_8));
    assertThat(ProofKeys.ofKeyHash(hash)).isEqualTo(fromKey);
  }

  @Test
  void verifiesThePinnedSignatureAndWhatTheJdkSigns() throws Exception {
    PublicKey key = ProofKeys.verifyingKey(PUBLIC_KEY);
    assertThat(ProofKeys.verify(key, SIGNED_STRING, SIGNATURE)).isTrue();
    assertThat(ProofKeys.verify(key, SIGNED_STRING + "0", SIGNATURE)).isFalse();

    String header =
        RequestSigning.sign(
                ProofKey.fromKey(KEY),
                null,
                "POST",
                URI.create("https://127.0.0.1:8443/v1/resolve"),
                "{}".getBytes(StandardCharsets.UTF_8),
                1_796_000_000L,
                "AAAAAAAAAAAAAAAAAAAAAA")
            .signature();
    assertThat(ProofKeys.verify(key, SIGNED_STRING, header)).isTrue();
    assertThat(
            ProofKeys.verify(
                ProofKeys.verifyingKey(ProofKeys.of("alter_key_app_other").publicKey()),
                SIGNED_STRING,
                header))
        .isFalse();
  }

  @Test
  void refusesAStoredPointOffTheCurve() {
    assertThatThrownBy(() -> ProofKeys.verifyingKey(PUBLIC_KEY.substring(0, 128) + "00"))
        .isInstanceOf(GeneralSecurityException.class);
  }
}
