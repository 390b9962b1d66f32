package dev.alter.service.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of credential versions (SECURITY.md invariant 2): a fresh 256-bit data key
 * per version, AES-256-GCM with a fresh 96-bit nonce, the data key wrapped (AES-256-GCM) by the
 * active master key. Both layers carry the {@link CredentialBinding} as associated data.
 *
 * <p>Unwrapped data keys are kept in a small bounded {@link DataKeyCache} so repeated resolves of
 * the same version skip the unwrap; writing a new version of a secret or rewrapping it drops the
 * secret's cached keys, and {@link #forget} drops them when the secret is deleted.
 */
public final class EnvelopeCipher {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int DATA_KEY_BYTES = 32;
  private static final int CACHED_DATA_KEYS = 4096;
  private static final long CACHED_DATA_KEY_NANOS =
      java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
  // Cipher.getInstance walks the provider list; one instance per thread, initialised per use.
  private static final ThreadLocal<Cipher> AES_GCM =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("AES/GCM is not available in this JDK", e);
            }
          });

  private final MasterKeyring keyring;
  private final SecureRandom random = new SecureRandom();
  private final DataKeyCache dataKeys =
      new DataKeyCache(CACHED_DATA_KEYS, CACHED_DATA_KEY_NANOS, System::nanoTime);

  public EnvelopeCipher(MasterKeyring keyring) {
    this.keyring = keyring;
  }

  /** Drops the cached data keys of this secret's versions (call when the secret is deleted). */
  public void forget(String secretId) {
    dataKeys.forgetSecret(secretId);
  }

  /** Number of data keys held unwrapped in memory (for tests and metrics; never the keys). */
  public int cachedDataKeys() {
    return dataKeys.size();
  }

  public MasterKeyring keyring() {
    return keyring;
  }

  public EncryptedCredential encrypt(CredentialBinding binding, byte[] plaintext)
      throws GeneralSecurityException {
    // a new version of this secret: the keys of its older versions need not stay in memory
    dataKeys.forgetSecret(binding.secretId());
    byte[] dataKey = new byte[DATA_KEY_BYTES];
    random.nextBytes(dataKey);
    try {
      byte[] nonce = randomNonce();
      byte[] ciphertext =
          gcm(Cipher.ENCRYPT_MODE, dataKey, nonce, binding.credentialAad(), plaintext);
      MasterKey mk = keyring.active();
      return new EncryptedCredential(mk.id(), wrap(mk, binding, dataKey), nonce, ciphertext);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /**
   * Returns the plaintext; the caller clears it after use.
   *
   * @throws GeneralSecurityException when the master key is not configured, or anything was altered
   *     or moved (GCM authentication fails)
   */
  public byte[] decrypt(CredentialBinding binding, EncryptedCredential stored)
      throws GeneralSecurityException {
    byte[] dataKey = dataKeys.get(binding, stored.masterKeyId(), stored.wrappedKey());
    if (dataKey == null) {
      dataKey = unwrap(binding, stored);
      dataKeys.put(binding, stored.masterKeyId(), stored.wrappedKey(), dataKey);
    }
    try {
      return gcm(
          Cipher.DECRYPT_MODE,
          dataKey,
          stored.nonce(),
          binding.credentialAad(),
          stored.ciphertext());
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /**
   * Re-wraps the data key under the active master key. The credential ciphertext is untouched and
   * its plaintext is never produced.
   */
  public EncryptedCredential rewrap(CredentialBinding binding, EncryptedCredential stored)
      throws GeneralSecurityException {
    dataKeys.forgetSecret(binding.secretId());
    byte[] dataKey = unwrap(binding, stored);
    try {
      MasterKey mk = keyring.active();
      return new EncryptedCredential(
          mk.id(), wrap(mk, binding, dataKey), stored.nonce(), stored.ciphertext());
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /** First 8 hex chars of HMAC-SHA256 under a key derived from the active master key. */
  public String fingerprint(String credential) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(keyring.active().fingerprintKey());
      byte[] digest = mac.doFinal(credential.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private byte[] wrap(MasterKey mk, CredentialBinding binding, byte[] dataKey)
      throws GeneralSecurityException {
    byte[] nonce = randomNonce();
    byte[] wrapped =
        gcm(
            Cipher.ENCRYPT_MODE,
            mk.aesKey().getEncoded(),
            nonce,
            binding.dataKeyAad(mk.id()),
            dataKey);
    return ByteBuffer.allocate(nonce.length + wrapped.length).put(nonce).put(wrapped).array();
  }

  private byte[] unwrap(CredentialBinding binding, EncryptedCredential stored)
      throws GeneralSecurityException {
    MasterKey mk = keyring.find(stored.masterKeyId());
    if (mk == null) {
      throw new GeneralSecurityException(
          "master key " + stored.masterKeyId() + " is not configured");
    }
    byte[] w = stored.wrappedKey();
    if (w.length <= NONCE_BYTES) {
      throw new GeneralSecurityException("wrapped data key is truncated");
    }
    return gcm(
        Cipher.DECRYPT_MODE,
        mk.aesKey().getEncoded(),
        Arrays.copyOf(w, NONCE_BYTES),
        binding.dataKeyAad(mk.id()),
        Arrays.copyOfRange(w, NONCE_BYTES, w.length));
  }

  private byte[] randomNonce() {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    return nonce;
  }

  private static byte[] gcm(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input)
      throws GeneralSecurityException {
    Cipher cipher = AES_GCM.get();
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(aad);
    return cipher.doFinal(input);
  }
}
