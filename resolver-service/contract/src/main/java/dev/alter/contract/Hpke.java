package dev.alter.contract;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
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
 * from JDK primitives only (XDH, HmacSHA256, AES/GCM) so the agent needs no crypto library. The
 * AEAD is AES-256-GCM for Alter; AES-128-GCM is supported so the RFC's published test vector (A.1)
 * can check the key schedule.
 *
 * <p>A seal is on the resolver-service's hot path (one per resolve), so the constant parts of every
 * labelled HKDF input ("HPKE-v1" and the suite id, the labels, the base mode's {@code psk_id_hash})
 * are built once, the pieces are fed to HMAC without concatenating them, and each thread reuses its
 * {@code Mac} and {@code Cipher} instead of looking them up in the provider list per call. The two
 * X25519 scalar multiplications per seal (ephemeral key pair, Diffie-Hellman) are inherent to
 * DHKEM; nothing here does a third.
 */
public final class Hpke {
  public static final short KEM_X25519_HKDF_SHA256 = 0x0020;
  public static final short KDF_HKDF_SHA256 = 0x0001;
  public static final short AEAD_AES_128_GCM = 0x0001;
  public static final short AEAD_AES_256_GCM = 0x0002;

  private static final int HASH_LENGTH = 32;
  private static final int NONCE_LENGTH = 12;
  private static final int TAG_BITS = 128;
  private static final byte[] EMPTY = new byte[0];

  /** RFC 5869: an absent salt is HashLen zero bytes. */
  private static final SecretKeySpec ZERO_SALT =
      new SecretKeySpec(new byte[HASH_LENGTH], "HmacSHA256");

  // RFC 9180 labels, as bytes once
  private static final byte[] EAE_PRK = ascii("eae_prk");
  private static final byte[] SHARED_SECRET = ascii("shared_secret");
  private static final byte[] PSK_ID_HASH = ascii("psk_id_hash");
  private static final byte[] INFO_HASH = ascii("info_hash");
  private static final byte[] SECRET = ascii("secret");
  private static final byte[] KEY = ascii("key");
  private static final byte[] BASE_NONCE = ascii("base_nonce");

  /** "HPKE-v1" || suite_id of the KEM (§4.1): the prefix of every labelled KEM input. */
  private static final byte[] KEM_PREFIX =
      concat(ascii("HPKE-v1"), ascii("KEM"), i2osp(KEM_X25519_HKDF_SHA256, 2));

  // Per thread: provider look-ups cost more than the HMACs themselves. Each call re-initialises
  // the instance with its own key, so nothing of one seal carries into the next.
  private static final ThreadLocal<Mac> HMAC =
      ThreadLocal.withInitial(() -> instance(() -> Mac.getInstance("HmacSHA256")));
  private static final ThreadLocal<Cipher> AES_GCM =
      ThreadLocal.withInitial(() -> instance(() -> Cipher.getInstance("AES/GCM/NoPadding")));

  private static final Hpke AES_256 = new Hpke(AEAD_AES_256_GCM, 32);
  private static final Hpke AES_128 = new Hpke(AEAD_AES_128_GCM, 16);

  private final int keyLength;

  /** "HPKE-v1" || suite_id of the full suite (§5.1). */
  private final byte[] suitePrefix;

  /** LabeledExtract("", "psk_id_hash", "") — the same for every base-mode context of the suite. */
  private final byte[] pskIdHash;

  private Hpke(short aeadId, int keyLength) {
    this.keyLength = keyLength;
    this.suitePrefix =
        concat(
            ascii("HPKE-v1"),
            ascii("HPKE"),
            i2osp(KEM_X25519_HKDF_SHA256, 2),
            i2osp(KDF_HKDF_SHA256, 2),
            i2osp(aeadId, 2));
    try {
      this.pskIdHash = labeledExtract(suitePrefix, null, PSK_ID_HASH, EMPTY);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }

  /** The suite Alter uses: X25519 / HKDF-SHA256 / AES-256-GCM. Immutable and shared. */
  public static Hpke x25519Aes256Gcm() {
    return AES_256;
  }

  public static Hpke x25519Aes128Gcm() {
    return AES_128;
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
  public Sealed sealWithEphemeral(
      KeyPair ephemeral, byte[] recipientPublicKey, byte[] info, byte[] aad, byte[] plaintext)
      throws GeneralSecurityException {
    PublicKey pkR = X25519Keys.publicKeyFromRaw(recipientPublicKey);
    byte[] enc = X25519Keys.rawPublicKey(ephemeral.getPublic());
    byte[] dh = diffieHellman(ephemeral.getPrivate(), pkR);
    byte[] sharedSecret = extractAndExpand(dh, enc, recipientPublicKey);
    byte[][] keyAndNonce = keySchedule(sharedSecret, info);
    try {
      return new Sealed(enc, aesGcm(Cipher.ENCRYPT_MODE, keyAndNonce, aad, plaintext));
    } finally {
      wipe(dh, sharedSecret, keyAndNonce[0]);
    }
  }

  public byte[] open(
      PrivateKey recipientPrivateKey,
      byte[] recipientPublicKey,
      byte[] enc,
      byte[] info,
      byte[] aad,
      byte[] ciphertext)
      throws GeneralSecurityException {
    PublicKey pkE = X25519Keys.publicKeyFromRaw(enc);
    byte[] dh = diffieHellman(recipientPrivateKey, pkE);
    byte[] sharedSecret = extractAndExpand(dh, enc, recipientPublicKey);
    byte[][] keyAndNonce = keySchedule(sharedSecret, info);
    try {
      return aesGcm(Cipher.DECRYPT_MODE, keyAndNonce, aad, ciphertext);
    } finally {
      wipe(dh, sharedSecret, keyAndNonce[0]);
    }
  }

  private static byte[] diffieHellman(PrivateKey privateKey, PublicKey publicKey)
      throws GeneralSecurityException {
    // Not per thread: the XDH provider is chosen at init (the service registers a faster one at
    // start), and an agreement kept per thread would hold the last ephemeral private key.
    KeyAgreement agreement = KeyAgreement.getInstance("XDH");
    agreement.init(privateKey);
    agreement.doPhase(publicKey, true);
    byte[] secret = agreement.generateSecret();
    if (isAllZero(secret)) {
      throw new GeneralSecurityException("X25519 produced the all-zero shared secret");
    }
    return secret;
  }

  // RFC 9180 §4.1: DHKEM ExtractAndExpand, kem_context = enc || pkRm
  private static byte[] extractAndExpand(byte[] dh, byte[] enc, byte[] recipientPublicKey)
      throws GeneralSecurityException {
    byte[] eaePrk = labeledExtract(KEM_PREFIX, null, EAE_PRK, dh);
    try {
      return labeledExpand(KEM_PREFIX, eaePrk, SHARED_SECRET, HASH_LENGTH, enc, recipientPublicKey);
    } finally {
      wipe(eaePrk);
    }
  }

  // RFC 9180 §5.1: KeySchedule for mode_base (no PSK): context = mode || psk_id_hash || info_hash
  private byte[][] keySchedule(byte[] sharedSecret, byte[] info) throws GeneralSecurityException {
    byte[] infoHash = labeledExtract(suitePrefix, null, INFO_HASH, info);
    byte[] secret = labeledExtract(suitePrefix, sharedSecret, SECRET, EMPTY);
    try {
      byte[] mode = {0x00};
      byte[] key = labeledExpand(suitePrefix, secret, KEY, keyLength, mode, pskIdHash, infoHash);
      byte[] baseNonce =
          labeledExpand(suitePrefix, secret, BASE_NONCE, NONCE_LENGTH, mode, pskIdHash, infoHash);
      return new byte[][] {key, baseNonce};
    } finally {
      wipe(secret);
    }
  }

  private static byte[] aesGcm(int mode, byte[][] keyAndNonce, byte[] aad, byte[] input)
      throws GeneralSecurityException {
    // single-shot: sequence number 0, so the nonce is the base nonce
    SecretKeySpec key = new SecretKeySpec(keyAndNonce[0], "AES");
    GCMParameterSpec nonce = new GCMParameterSpec(TAG_BITS, keyAndNonce[1]);
    Cipher cipher = AES_GCM.get();
    try {
      cipher.init(mode, key, nonce);
    } catch (InvalidAlgorithmParameterException sameKeyAndNonce) {
      // The JDK refuses to encrypt twice under this thread's last key and nonce; that only happens
      // when a caller fixes the ephemeral key (test vectors), and then the output is the same.
      cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, nonce);
    }
    if (aad != null && aad.length > 0) {
      cipher.updateAAD(aad);
    }
    return cipher.doFinal(input);
  }

  /**
   * LabeledExtract(salt, label, ikm) = HKDF-Extract(salt, prefix || label || ikm); a null salt is
   * absent.
   */
  private static byte[] labeledExtract(byte[] prefix, byte[] salt, byte[] label, byte[] ikm)
      throws GeneralSecurityException {
    Mac mac = HMAC.get();
    mac.init(salt == null || salt.length == 0 ? ZERO_SALT : new SecretKeySpec(salt, "HmacSHA256"));
    mac.update(prefix);
    mac.update(label);
    mac.update(ikm);
    return mac.doFinal();
  }

  /**
   * LabeledExpand(prk, label, info, L) = HKDF-Expand(prk, I2OSP(L, 2) || prefix || label || info,
   * L), with {@code info} given as the parts it concatenates.
   */
  private static byte[] labeledExpand(
      byte[] prefix, byte[] prk, byte[] label, int length, byte[]... info)
      throws GeneralSecurityException {
    Mac mac = HMAC.get();
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    byte[] out = new byte[length];
    byte[] block = EMPTY;
    int written = 0;
    for (int counter = 1; written < length; counter++) {
      mac.update(block);
      mac.update((byte) (length >>> 8));
      mac.update((byte) length);
      mac.update(prefix);
      mac.update(label);
      for (byte[] part : info) {
        mac.update(part);
      }
      mac.update((byte) counter);
      byte[] previous = block;
      block = mac.doFinal();
      wipe(previous);
      int n = Math.min(block.length, length - written);
      System.arraycopy(block, 0, out, written, n);
      written += n;
    }
    wipe(block);
    return out;
  }

  private interface Lookup<T> {
    T get() throws NoSuchAlgorithmException, javax.crypto.NoSuchPaddingException;
  }

  private static <T> T instance(Lookup<T> lookup) {
    try {
      return lookup.get();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK lacks a primitive HPKE needs", e);
    }
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
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
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
