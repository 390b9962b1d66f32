package dev.alter.service.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.contract.Hpke;
import dev.alter.contract.X25519Keys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.NamedParameterSpec;
import java.util.HexFormat;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With the service's X25519 provider installed, HPKE seals still open with the JDK's own keys. */
class X25519AccelerationTest {
  private static final byte[] INFO = "alter test".getBytes(StandardCharsets.UTF_8);
  private static final byte[] AAD = "grt_1|1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PLAINTEXT = "sk_live_value".getBytes(StandardCharsets.UTF_8);

  @BeforeAll
  static void install() {
    X25519Acceleration.install();
  }

  private static KeyPair sunEcKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("XDH", "SunEC");
    generator.initialize(NamedParameterSpec.X25519);
    return generator.generateKeyPair();
  }

  @Test
  void theContractsXdhCallsRunOnTheInstalledProvider() throws Exception {
    assertThat(X25519Acceleration.install()).as("installed once per JVM").isFalse();
    assertThat(KeyPairGenerator.getInstance("XDH").getProvider().getName())
        .isEqualTo(X25519Acceleration.PROVIDER_NAME);
    assertThat(KeyAgreement.getInstance("XDH").getProvider().getName())
        .isEqualTo(X25519Acceleration.PROVIDER_NAME);
    KeyPair keys = X25519Keys.generate();
    byte[] raw = X25519Keys.rawPublicKey(keys.getPublic());
    assertThat(raw).hasSize(32);
    assertThat(X25519Keys.rawPublicKey(X25519Keys.publicKeyFromRaw(raw))).isEqualTo(raw);
  }

  @Test
  void aSealToAJdkKeyOpensWithTheJdkAndTheOtherWayRound() throws Exception {
    Hpke hpke = Hpke.x25519Aes256Gcm();
    KeyPair jdkRecipient = sunEcKeyPair();
    byte[] jdkPublic = X25519Keys.rawPublicKey(jdkRecipient.getPublic());
    Hpke.Sealed sealed = hpke.seal(jdkPublic, INFO, AAD, PLAINTEXT);
    assertThat(
            hpke.open(
                jdkRecipient.getPrivate(), jdkPublic, sealed.enc, INFO, AAD, sealed.ciphertext))
        .isEqualTo(PLAINTEXT);

    KeyPair recipient = X25519Keys.generate();
    byte[] recipientPublic = X25519Keys.rawPublicKey(recipient.getPublic());
    Hpke.Sealed byJdk =
        hpke.sealWithEphemeral(sunEcKeyPair(), recipientPublic, INFO, AAD, PLAINTEXT);
    assertThat(
            hpke.open(
                recipient.getPrivate(), recipientPublic, byJdk.enc, INFO, AAD, byJdk.ciphertext))
        .isEqualTo(PLAINTEXT);
  }

  @Test
  void reproducesRfc9180AppendixA1WithTheInstalledProvider() throws Exception {
    HexFormat hex = HexFormat.of();
    KeyPair ephemeral =
        new KeyPair(
            X25519Keys.publicKeyFromRaw(
                hex.parseHex("37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431")),
            X25519Keys.privateKeyFromRaw(
                hex.parseHex("52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736")));
    byte[] pkR = hex.parseHex("3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d");
    byte[] info = hex.parseHex("4f6465206f6e2061204772656369616e2055726e");
    byte[] aad = hex.parseHex("436f756e742d30");
    byte[] pt = hex.parseHex("4265617574792069732074727574682c20747275746820626561757479");

    Hpke.Sealed sealed = Hpke.x25519Aes128Gcm().sealWithEphemeral(ephemeral, pkR, info, aad, pt);

    assertThat(hex.formatHex(sealed.ciphertext))
        .isEqualTo(
            "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a");
    assertThat(
            Hpke.x25519Aes128Gcm()
                .open(
                    X25519Keys.privateKeyFromRaw(
                        hex.parseHex(
                            "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8")),
                    pkR,
                    sealed.enc,
                    info,
                    aad,
                    sealed.ciphertext))
        .isEqualTo(pt);
  }

  @Test
  void aLowOrderPublicKeyIsStillRefusedAsASecurityError() {
    Hpke hpke = Hpke.x25519Aes256Gcm();
    assertThatThrownBy(() -> hpke.seal(new byte[32], INFO, AAD, PLAINTEXT))
        .isInstanceOf(GeneralSecurityException.class);
  }
}
