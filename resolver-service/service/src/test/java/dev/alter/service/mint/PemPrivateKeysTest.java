package dev.alter.service.mint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;

class PemPrivateKeysTest {

  @Test
  void readsPkcs8RsaAndEcKeys() throws Exception {
    KeyPair rsa = generate("RSA");
    KeyPair ec = generate("EC");
    assertThat(PemPrivateKeys.parse(pem("PRIVATE KEY", rsa.getPrivate().getEncoded())))
        .isInstanceOf(RSAPrivateKey.class)
        .isEqualTo(rsa.getPrivate());
    assertThat(PemPrivateKeys.parse(pem("PRIVATE KEY", ec.getPrivate().getEncoded())))
        .isInstanceOf(ECPrivateKey.class)
        .isEqualTo(ec.getPrivate());
  }

  @Test
  void readsThePkcs1RsaKeyGitHubHandsOut() throws Exception {
    KeyPair rsa = generate("RSA");
    byte[] pkcs1 =
        PrivateKeyInfo.getInstance(rsa.getPrivate().getEncoded())
            .parsePrivateKey()
            .toASN1Primitive()
            .getEncoded();
    RSAPrivateCrtKey parsed =
        (RSAPrivateCrtKey) PemPrivateKeys.parse(pem("RSA PRIVATE KEY", pkcs1));
    assertThat(parsed.getModulus()).isEqualTo(((RSAPrivateKey) rsa.getPrivate()).getModulus());
    assertThat(parsed.getPrivateExponent())
        .isEqualTo(((RSAPrivateKey) rsa.getPrivate()).getPrivateExponent());
  }

  @Test
  void refusesOtherTextWithoutQuotingIt() {
    for (String text :
        new String[] {
          "not-a-key-but-a-canary",
          "-----BEGIN PRIVATE KEY-----\nnot-base64-canary!\n-----END PRIVATE KEY-----",
          "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
          "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"
        }) {
      assertThatThrownBy(() -> PemPrivateKeys.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PKCS#8")
          .hasMessageNotContaining("canary");
    }
  }

  static KeyPair generate(String algorithm) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    generator.initialize(algorithm.equals("RSA") ? 2048 : 256);
    return generator.generateKeyPair();
  }

  static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }
}
