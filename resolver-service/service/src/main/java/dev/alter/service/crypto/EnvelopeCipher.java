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
 * Envelope encryption of credential versions (GUIDE invariant 2): a fresh 256-bit data key per
 * version, AES-256-GCM with a fresh 96-bit nonce, the data key wrapped (AES-256-GCM) by the
 * active master key. Both layers carry the {@link CredentialBinding} as associated data.
 */
public final class EnvelopeCipher {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int DATA_KEY_BYTES = 32;

  private final MasterKeyring keyring;
  private final SecureRandom random = new SecureRandom();

  public EnvelopeCipher(MasterKeyring keyring) {
    this.keyring = keyring;
  }

  public MasterKeyring keyring() {
    return keyring;
  }

  public EncryptedCredential encrypt(CredentialBinding binding, byte[] plaintext) throws GeneralSecurityException {
    byte[] dataKey = new byte[DATA_KEY_BYTES];
    random.nextBytes(dataKey);
    try {
      byte[] nonce = randomNonce();
      byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, dataKey, nonce, binding.credentialAad(), plaintext);
      MasterKey mk = keyring.active();
      return new EncryptedCredential(mk.id(), wrap(mk, binding, dataKey), nonce, ciphertext);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /**
   * Returns the plaintext; the caller clears it after use.
   *
   * @throws GeneralSecurityException when the master key is not configured, or anything was
   *     altered or moved (GCM authentication fails)
   */
  public byte[] decrypt(CredentialBinding binding, EncryptedCredential stored) throws GeneralSecurityException {
    byte[] dataKey = unwrap(binding, stored);
    try {
      return gcm(Cipher.DECRYPT_MODE, dataKey, stored.nonce(), binding.credentialAad(), stored.ciphertext());
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /**
   * Re-wraps the data key under the active master key. The credential ciphertext is untouched
   * and its plaintext is never produced.
   */
  public EncryptedCredential rewrap(CredentialBinding binding, EncryptedCredential stored) throws GeneralSecurityException {
    byte[] dataKey = unwrap(binding, stored);
    try {
      MasterKey mk = keyring.active();
      return new EncryptedCredential(mk.id(), wrap(mk, binding, dataKey), stored.nonce(), stored.ciphertext());
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

  private byte[] wrap(MasterKey mk, CredentialBinding binding, byte[] dataKey) throws GeneralSecurityException {
    byte[] nonce = randomNonce();
    byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, mk.aesKey().getEncoded(), nonce, binding.dataKeyAad(mk.id()), dataKey);
    return ByteBuffer.allocate(nonce.length + wrapped.length).put(nonce).put(wrapped).array();
  }

  private byte[] unwrap(CredentialBinding binding, EncryptedCredential stored) throws GeneralSecurityException {
    MasterKey mk = keyring.find(stored.masterKeyId());
    if (mk == null) {
      throw new GeneralSecurityException("master key " + stored.masterKeyId() + " is not configured");
    }
    byte[] w = stored.wrappedKey();
    if (w.length <= NONCE_BYTES) {
      throw new GeneralSecurityException("wrapped data key is truncated");
    }
    return gcm(Cipher.DECRYPT_MODE, mk.aesKey().getEncoded(), Arrays.copyOf(w, NONCE_BYTES),
        binding.dataKeyAad(mk.id()), Arrays.copyOfRange(w, NONCE_BYTES, w.length));
  }

  private byte[] randomNonce() {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    return nonce;
  }

  private static byte[] gcm(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(aad);
    return cipher.doFinal(input);
  }
}
