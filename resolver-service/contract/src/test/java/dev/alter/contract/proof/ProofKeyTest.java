package dev.alter.contract.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/**
 * The derivation is part of the stored format: every key converted by migration V3 depends on these
 * exact values, so they are pinned here (and checked against Bouncy Castle's HKDF and curve
 * arithmetic as an independent implementation).
 */
class ProofKeyTest {
  /**
   * The shared vector: the service's tests and the agent's tests use the same key and public key.
   */
  static final String KEY = "alter_key_app_" + "A".repeat(43);

  static final String KEY_ID = "03416ee63924ffc2d5029c49d3e68941";
  static final String SCALAR = "a75a297f0c77bc4e81b4fd594fefe2a7c8eae56dd716268c74c6532ad1857fdc";
  static final String PUBLIC_KEY =
      "041f4f5388eb2fb5d532f0871f20987c6c71dbaf8c1b6b0a7b188c59de629df702"
          + "066744ed94f7760e4f90b97a276e3024365b183be98a67a2394bc81c20e06b7f";

  @Test
  void derivesThePinnedKeyIdAndScalar() {
    ProofKey key = ProofKey.fromKey(KEY);
    assertThat(key.keyId()).isEqualTo(KEY_ID);
    assertThat(key.privateScalar().toString(16)).isEqualTo(SCALAR);
    assertThat(ProofKey.keyIdOf(KEY)).isEqualTo(KEY_ID);
  }

  @Test
  void theKeyHashAloneGivesTheSameKey() throws Exception {
    byte[] h = MessageDigest.getInstance("SHA-256").digest(KEY.getBytes(StandardCharsets.UTF_8));
    ProofKey fromHash = ProofKey.fromKeyHash(h);
    assertThat(fromHash.keyId()).isEqualTo(KEY_ID);
    assertThat(fromHash.privateScalar()).isEqualTo(ProofKey.fromKey(KEY).privateScalar());
  }

  @Test
  void matchesAnIndependentHkdfAndCurve() throws Exception {
    for (String key : new String[] {KEY, "alter_key_agent_" + "B".repeat(43), "alter_key_app_x"}) {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      byte[] salt = "alter-proof-key-v1".getBytes(StandardCharsets.US_ASCII);
      byte[] scalar = hkdf(h, salt, "ecdsa-p256 scalar", 48);
      byte[] id = hkdf(h, salt, "key id", 16);
      BigInteger n = CustomNamedCurves.getByName("secp256r1").getN();
      BigInteger d = new BigInteger(1, scalar).mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      ProofKey derived = ProofKey.fromKey(key);
      assertThat(derived.privateScalar()).isEqualTo(d);
      assertThat(derived.keyId()).isEqualTo(Hex.toHexString(id));
      // the JDK's key from the scalar is the one whose public point Bouncy Castle computes
      assertThat(derived.privateKey().getS()).isEqualTo(d);
      // made once per key: every signature of this key uses the same JDK key object
      assertThat(derived.privateKey()).isSameAs(derived.privateKey());
    }
    ECPoint q =
        new FixedPointCombMultiplier()
            .multiply(
                CustomNamedCurves.getByName("secp256r1").getG(),
                ProofKey.fromKey(KEY).privateScalar())
            .normalize();
    assertThat(Hex.toHexString(q.getEncoded(false))).isEqualTo(PUBLIC_KEY);
  }

  @Test
  void publicKeyRoundTripsThroughItsHexForm() throws Exception {
    assertThat(ProofKey.publicKeyHex(ProofKey.publicKeyFromHex(PUBLIC_KEY))).isEqualTo(PUBLIC_KEY);
  }

  @Test
  void refusesAPointOffTheCurveOrMalformed() {
    String offCurve = PUBLIC_KEY.substring(0, PUBLIC_KEY.length() - 2) + "7e";
    assertThatThrownBy(() -> ProofKey.publicKeyFromHex(offCurve))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("not on P-256");
    assertThatThrownBy(() -> ProofKey.publicKeyFromHex("02" + PUBLIC_KEY.substring(2, 66)))
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> ProofKey.publicKeyFromHex("zz" + PUBLIC_KEY.substring(2)))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void neverPrintsTheScalar() {
    ProofKey key = ProofKey.fromKey(KEY);
    assertThat(key.toString())
        .contains(KEY_ID)
        .doesNotContain(SCALAR)
        .doesNotContain(key.privateScalar().toString());
  }

  @Test
  void aKeyHashMustBe32Bytes() {
    assertThatThrownBy(() -> ProofKey.fromKeyHash(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] hkdf(byte[] ikm, byte[] salt, String info, int length) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(ikm, salt, info.getBytes(StandardCharsets.US_ASCII)));
    byte[] out = new byte[length];
    hkdf.generateBytes(out, 0, length);
    return out;
  }
}
