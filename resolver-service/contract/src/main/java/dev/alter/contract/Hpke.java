package dev.alter.contract;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 9180 HPKE, base mode, single-shot, with DHKEM(X25519, HKDF-SHA256) and HKDF-SHA256, built
 * from JDK primitives only (XDH, HmacSHA256, AES/GCM) so the agent needs no crypto library.
 * The AEAD is AES-256-GCM for Alter; AES-128-GCM is supported so the RFC's published test vector
 * (A.1) can check the key schedule.
 */
public final class Hpke {
  public static final short KEM_X25519_HKDF_SHA256 = 0x0020;
  public static final short KDF_HKDF_SHA256 = 0x0001;
  public static final short AEAD_AES_128_GCM = 0x0001;
  public static final short AEAD_AES_256_GCM = 0x0002;

  private static final byte[] HPKE_V1 = ascii("HPKE-v1");
  private static final int HASH_LENGTH = 32;
  private static final int NONCE_LENGTH = 12;
  private static final int TAG_BITS = 128;

  private final short aeadId;
  private final int keyLength;

  private Hpke(short aeadId, int keyLength) {
    this.aeadId = aeadId;
    this.keyLength = keyLength;
  }

  /** The suite Alter uses: X25519 / HKDF-SHA256 / AES-256-GCM. */
  public static Hpke x25519Aes256Gcm() {
    return new Hpke(AEAD_AES_256_GCM, 32);
  }

  public static Hpke x25519Aes128Gcm() {
    return new Hpke(AEAD_AES_128_GCM, 16);
  }

  /** Result of a seal: the encapsulated key and the ciphertext (with tag). */
  public static final class Sealed {
    public final byte[] enc;
    public final byte[] ciphertext;

    Sealed(byte[] enc, byte[] ciphertext) {
      this.enc = enc;
      this.ciphertext = ciphertext;
    }
  }

  public Sealed seal(byte[] recipientPublicKey, byte[] info, byte[] aad, byte[] plaintext)
      throws GeneralSecurityException {
    return sealWithEphemeral(X25519Keys.generate(), recipientPublicKey, info, aad, plaintext);
  }

  /** Seal with a given ephemeral key pair; public only so test vectors can fix the randomness. */
  public Sealed sealWithEphemeral(KeyPair ephemeral, byte[] recipientPublicKey, byte[] info,
      byte[] aad, byte[] plaintext) throws GeneralSecurityException {
    PublicKey pkR = X25519Keys.publicKeyFromRaw(recipientPublicKey);
    byte[] enc = X25519Keys.rawPublicKey(ephemeral.getPublic());
    byte[] dh = diffieHellman(ephemeral.getPrivate(), pkR);
    byte[] sharedSecret = extractAndExpand(dh, concat(enc, recipientPublicKey));
    byte[][] keyAndNonce = keySchedule(sharedSecret, info);
    try {
      return new Sealed(enc, aesGcm(Cipher.ENCRYPT_MODE, keyAndNonce, aad, plaintext));
    } finally {
      wipe(dh, sharedSecret, keyAndNonce[0]);
    }
  }

  public byte[] open(PrivateKey recipientPrivateKey, byte[] recipientPublicKey, byte[] enc,
      byte[] info, byte[] aad, byte[] ciphertext) throws GeneralSecurityException {
    PublicKey pkE = X25519Keys.publicKeyFromRaw(enc);
    byte[] dh = diffieHellman(recipientPrivateKey, pkE);
    byte[] sharedSecret = extractAndExpand(dh, concat(enc, recipientPublicKey));
    byte[][] keyAndNonce = keySchedule(sharedSecret, info);
    try {
      return aesGcm(Cipher.DECRYPT_MODE, keyAndNonce, aad, ciphertext);
    } finally {
      wipe(dh, sharedSecret, keyAndNonce[0]);
    }
  }

  private static byte[] diffieHellman(PrivateKey privateKey, PublicKey publicKey)
      throws GeneralSecurityException {
    KeyAgreement agreement = KeyAgreement.getInstance("XDH");
    agreement.init(privateKey);
    agreement.doPhase(publicKey, true);
    byte[] secret = agreement.generateSecret();
    if (isAllZero(secret)) {
      throw new GeneralSecurityException("X25519 produced the all-zero shared secret");
    }
    return secret;
  }

  // RFC 9180 §4.1: DHKEM ExtractAndExpand
  private static byte[] extractAndExpand(byte[] dh, byte[] kemContext) throws GeneralSecurityException {
    byte[] kemSuite = concat(ascii("KEM"), i2osp(KEM_X25519_HKDF_SHA256, 2));
    byte[] eaePrk = labeledExtract(kemSuite, new byte[0], "eae_prk", dh);
    return labeledExpand(kemSuite, eaePrk, "shared_secret", kemContext, HASH_LENGTH);
  }

  // RFC 9180 §5.1: KeySchedule for mode_base (no PSK)
  private byte[][] keySchedule(byte[] sharedSecret, byte[] info) throws GeneralSecurityException {
    byte[] suite = concat(ascii("HPKE"), i2osp(KEM_X25519_HKDF_SHA256, 2),
        i2osp(KDF_HKDF_SHA256, 2), i2osp(aeadId, 2));
    byte[] pskIdHash = labeledExtract(suite, new byte[0], "psk_id_hash", new byte[0]);
    byte[] infoHash = labeledExtract(suite, new byte[0], "info_hash", info);
    byte[] context = concat(new byte[] {0x00}, pskIdHash, infoHash);
    byte[] secret = labeledExtract(suite, sharedSecret, "secret", new byte[0]);
    byte[] key = labeledExpand(suite, secret, "key", context, keyLength);
    byte[] baseNonce = labeledExpand(suite, secret, "base_nonce", context, NONCE_LENGTH);
    wipe(secret);
    return new byte[][] {key, baseNonce};
  }

  private static byte[] aesGcm(int mode, byte[][] keyAndNonce, byte[] aad, byte[] input)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    // single-shot: sequence number 0, so the nonce is the base nonce
    cipher.init(mode, new SecretKeySpec(keyAndNonce[0], "AES"),
        new GCMParameterSpec(TAG_BITS, keyAndNonce[1]));
    if (aad != null && aad.length > 0) {
      cipher.updateAAD(aad);
    }
    return cipher.doFinal(input);
  }

  private static byte[] labeledExtract(byte[] suite, byte[] salt, String label, byte[] ikm)
      throws GeneralSecurityException {
    return hkdfExtract(salt, concat(HPKE_V1, suite, ascii(label), ikm));
  }

  private static byte[] labeledExpand(byte[] suite, byte[] prk, String label, byte[] info, int length)
      throws GeneralSecurityException {
    return hkdfExpand(prk, concat(i2osp(length, 2), HPKE_V1, suite, ascii(label), info), length);
  }

  // RFC 5869. An empty salt is HashLen zero bytes, which HMAC treats the same as an empty key.
  private static byte[] hkdfExtract(byte[] salt, byte[] ikm) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(salt.length == 0 ? new byte[HASH_LENGTH] : salt, "HmacSHA256"));
    return mac.doFinal(ikm);
  }

  private static byte[] hkdfExpand(byte[] prk, byte[] info, int length) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    byte[] out = new byte[length];
    byte[] block = new byte[0];
    int written = 0;
    for (int counter = 1; written < length; counter++) {
      mac.update(block);
      mac.update(info);
      mac.update((byte) counter);
      block = mac.doFinal();
      int n = Math.min(block.length, length - written);
      System.arraycopy(block, 0, out, written, n);
      written += n;
    }
    return out;
  }

  private static byte[] i2osp(int value, int length) {
    byte[] out = new byte[length];
    for (int i = length - 1; i >= 0; i--) {
      out[i] = (byte) value;
      value >>>= 8;
    }
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static boolean isAllZero(byte[] bytes) {
    int acc = 0;
    for (byte b : bytes) {
      acc |= b;
    }
    return acc == 0;
  }

  private static void wipe(byte[]... arrays) {
    for (byte[] a : arrays) {
      Arrays.fill(a, (byte) 0);
    }
  }
}
