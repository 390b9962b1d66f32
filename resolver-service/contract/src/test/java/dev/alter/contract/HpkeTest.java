package dev.alter.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.junit.jupiter.api.Test;

class HpkeTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final HPKE BC_AES256 =
      new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM256);

  @Test
  void reproducesRfc9180AppendixA1Ciphertext() throws Exception {
    // RFC 9180 A.1 (X25519, HKDF-SHA256, AES-128-GCM), base mode, sequence 0
    KeyPair ephemeral =
        new KeyPair(
            X25519Keys.publicKeyFromRaw(
                HEX.parseHex("37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431")),
            X25519Keys.privateKeyFromRaw(
                HEX.parseHex("52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736")));
    byte[] pkR = HEX.parseHex("3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d");
    byte[] info = HEX.parseHex("4f6465206f6e2061204772656369616e2055726e");
    byte[] aad = HEX.parseHex("436f756e742d30");
    byte[] pt = HEX.parseHex("4265617574792069732074727574682c20747275746820626561757479");

    Hpke.Sealed sealed = Hpke.x25519Aes128Gcm().sealWithEphemeral(ephemeral, pkR, info, aad, pt);

    assertThat(HEX.formatHex(sealed.enc))
        .isEqualTo("37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431");
    assertThat(HEX.formatHex(sealed.ciphertext))
        .isEqualTo(
            "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a");
    byte[] opened =
        Hpke.x25519Aes128Gcm()
            .open(
                X25519Keys.privateKeyFromRaw(
                    HEX.parseHex(
                        "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8")),
                pkR,
                sealed.enc,
                info,
                aad,
                sealed.ciphertext);
    assertThat(opened).isEqualTo(pt);
  }

  @Test
  void sealingTwiceWithTheSameFixedEphemeralOnOneThreadGivesTheSameBox() throws Exception {
    // Each thread reuses its AES-GCM Cipher; the JDK refuses a second encryption under the same
    // key and nonce on one instance, which only a fixed ephemeral key can cause (test vectors).
    KeyPair ephemeral = X25519Keys.generate();
    KeyPair recipient = X25519Keys.generate();
    byte[] pkR = X25519Keys.rawPublicKey(recipient.getPublic());
    byte[] aad = CredentialSealing.associatedData("grt_abc", 1);
    byte[] pt = "value".getBytes(StandardCharsets.UTF_8);

    Hpke.Sealed first =
        Hpke.x25519Aes256Gcm().sealWithEphemeral(ephemeral, pkR, CredentialSealing.INFO, aad, pt);
    Hpke.Sealed second =
        Hpke.x25519Aes256Gcm().sealWithEphemeral(ephemeral, pkR, CredentialSealing.INFO, aad, pt);

    assertThat(second.ciphertext).isEqualTo(first.ciphertext);
    assertThat(
            Hpke.x25519Aes256Gcm()
                .open(
                    recipient.getPrivate(),
                    pkR,
                    second.enc,
                    CredentialSealing.INFO,
                    aad,
                    second.ciphertext))
        .isEqualTo(pt);
  }

  @Test
  void sealsOnManyThreadsInterleavedWithBothSuitesAllOpen() throws Exception {
    // The per-thread Mac and Cipher are re-keyed on every use: interleaved suites, seals and
    // opens on shared threads must never mix one context's keys into another's.
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        results.add(
            pool.submit(
                () -> {
                  Hpke hpke = n % 2 == 0 ? Hpke.x25519Aes256Gcm() : Hpke.x25519Aes128Gcm();
                  KeyPair recipient = X25519Keys.generate();
                  byte[] pkR = X25519Keys.rawPublicKey(recipient.getPublic());
                  byte[] aad = CredentialSealing.associatedData("grt_" + n, n);
                  byte[] pt = ("secret-" + n).getBytes(StandardCharsets.UTF_8);
                  Hpke.Sealed sealed = hpke.seal(pkR, CredentialSealing.INFO, aad, pt);
                  byte[] opened =
                      hpke.open(
                          recipient.getPrivate(),
                          pkR,
                          sealed.enc,
                          CredentialSealing.INFO,
                          aad,
                          sealed.ciphertext);
                  return java.util.Arrays.equals(opened, pt);
                }));
      }
      for (java.util.concurrent.Future<Boolean> r : results) {
        assertThat(r.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void bouncyCastleOpensWhatWeSeal() throws Exception {
    AsymmetricCipherKeyPair recipient = BC_AES256.generatePrivateKey();
    byte[] pkR = BC_AES256.serializePublicKey(recipient.getPublic());
    byte[] aad = CredentialSealing.associatedData("grt_abc", 3);
    byte[] pt = "dd-api-key-value".getBytes(StandardCharsets.UTF_8);

    Hpke.Sealed sealed = Hpke.x25519Aes256Gcm().seal(pkR, CredentialSealing.INFO, aad, pt);

    byte[] opened =
        BC_AES256.open(
            sealed.enc,
            recipient,
            CredentialSealing.INFO,
            aad,
            sealed.ciphertext,
            null,
            null,
            null);
    assertThat(opened).isEqualTo(pt);
  }

  @Test
  void weOpenWhatBouncyCastleSeals() throws Exception {
    KeyPair recipient = X25519Keys.generate();
    byte[] pkR = X25519Keys.rawPublicKey(recipient.getPublic());
    AsymmetricKeyParameter bcPublic = BC_AES256.deserializePublicKey(pkR);
    byte[] aad = CredentialSealing.associatedData("grt_xyz", 12);
    byte[] pt = new byte[300];
    new SecureRandom().nextBytes(pt);

    byte[][] ctAndEnc = BC_AES256.seal(bcPublic, CredentialSealing.INFO, aad, pt, null, null, null);

    byte[] opened =
        Hpke.x25519Aes256Gcm()
            .open(
                recipient.getPrivate(), pkR, ctAndEnc[1], CredentialSealing.INFO, aad, ctAndEnc[0]);
    assertThat(opened).isEqualTo(pt);
  }

  @Test
  void boxForAnotherGrantOrVersionDoesNotOpen() throws Exception {
    KeyPair recipient = X25519Keys.generate();
    byte[] pk = X25519Keys.rawPublicKey(recipient.getPublic());
    SealedBox box =
        CredentialSealing.seal(
            pk,
            "grt_one",
            1,
            CredentialPayload.of(Map.of("credential", "v1", "application_key", "app")));

    assertThat(CredentialSealing.open(recipient.getPrivate(), pk, "grt_one", 1, box).parts())
        .containsEntry("credential", "v1")
        .containsEntry("application_key", "app");
    assertThatThrownBy(() -> CredentialSealing.open(recipient.getPrivate(), pk, "grt_two", 1, box))
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> CredentialSealing.open(recipient.getPrivate(), pk, "grt_one", 2, box))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void boxForAnotherProcessDoesNotOpen() throws Exception {
    KeyPair intended = X25519Keys.generate();
    KeyPair other = X25519Keys.generate();
    SealedBox box =
        CredentialSealing.seal(
            X25519Keys.rawPublicKey(intended.getPublic()),
            "grt_a",
            1,
            CredentialPayload.single("secret"));

    assertThatThrownBy(
            () ->
                CredentialSealing.open(
                    other.getPrivate(),
                    X25519Keys.rawPublicKey(other.getPublic()),
                    "grt_a",
                    1,
                    box))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void flippedCiphertextBitFailsToOpen() throws Exception {
    KeyPair recipient = X25519Keys.generate();
    byte[] pk = X25519Keys.rawPublicKey(recipient.getPublic());
    Hpke.Sealed sealed =
        Hpke.x25519Aes256Gcm().seal(pk, CredentialSealing.INFO, new byte[0], new byte[] {1, 2, 3});
    sealed.ciphertext[0] ^= 1;
    assertThatThrownBy(
            () ->
                Hpke.x25519Aes256Gcm()
                    .open(
                        recipient.getPrivate(),
                        pk,
                        sealed.enc,
                        CredentialSealing.INFO,
                        new byte[0],
                        sealed.ciphertext))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void publicKeyRoundTripsThroughRawForm() throws Exception {
    KeyPair kp = X25519Keys.generate();
    byte[] raw = X25519Keys.rawPublicKey(kp.getPublic());
    assertThat(X25519Keys.rawPublicKey(X25519Keys.publicKeyFromRaw(raw))).isEqualTo(raw);
    assertThat(CredentialSealing.decodePublicKey(CredentialSealing.encodePublicKey(raw)))
        .isEqualTo(raw);
    assertThatThrownBy(() -> CredentialSealing.decodePublicKey("AAAA"))
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> CredentialSealing.decodePublicKey("not base64 !"))
        .isInstanceOf(GeneralSecurityException.class);
  }
}
