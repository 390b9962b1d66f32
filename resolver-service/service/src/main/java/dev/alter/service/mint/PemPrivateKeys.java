package dev.alter.service.mint;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * Reads the private keys operators paste: PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA or EC) and PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}, the form GitHub hands out for an app's key). Errors never quote
 * the text.
 */
public final class PemPrivateKeys {
  private static final String PKCS8 = "PRIVATE KEY";
  private static final String PKCS1_RSA = "RSA PRIVATE KEY";

  private PemPrivateKeys() {}

  /**
   * @throws IllegalArgumentException saying which forms are accepted
   */
  public static PrivateKey parse(String pem) {
    String label = label(pem);
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(body(pem, label));
    } catch (IllegalArgumentException e) {
      throw unreadable();
    }
    try {
      if (PKCS1_RSA.equals(label)) {
        der =
            new PrivateKeyInfo(
                    new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                    org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(der))
                .getEncoded();
      }
      PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
      String algorithm =
          PrivateKeyInfo.getInstance(der)
                  .getPrivateKeyAlgorithm()
                  .getAlgorithm()
                  .equals(PKCSObjectIdentifiers.rsaEncryption)
              ? "RSA"
              : "EC";
      return KeyFactory.getInstance(algorithm).generatePrivate(spec);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw unreadable();
    }
  }

  private static String label(String pem) {
    if (pem != null) {
      for (String label : new String[] {PKCS1_RSA, PKCS8}) {
        if (pem.contains("-----BEGIN " + label + "-----")
            && pem.contains("-----END " + label + "-----")) {
          return label;
        }
      }
    }
    throw unreadable();
  }

  private static String body(String pem, String label) {
    int start = pem.indexOf("-----BEGIN " + label + "-----") + label.length() + 16;
    int end = pem.indexOf("-----END " + label + "-----");
    if (end < start) {
      throw unreadable();
    }
    return pem.substring(start, end).trim();
  }

  private static IllegalArgumentException unreadable() {
    return new IllegalArgumentException(
        "is not a PEM private key: give a PKCS#8 key (-----BEGIN PRIVATE KEY-----, RSA or EC)"
            + " or a PKCS#1 RSA key (-----BEGIN RSA PRIVATE KEY-----)");
  }
}
