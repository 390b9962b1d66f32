package dev.alter.service.crypto;

/**
 * One credential version as stored: the data key wrapped by master key {@code masterKeyId} ({@code
 * wrappedKey} = nonce ‖ AES-GCM output), and the credential encrypted under that data key ({@code
 * nonce}, {@code ciphertext}). Holds no plaintext.
 */
public record EncryptedCredential(
    String masterKeyId, byte[] wrappedKey, byte[] nonce, byte[] ciphertext) {
  @Override
  public String toString() {
    return "EncryptedCredential{masterKeyId=" + masterKeyId + ", " + ciphertext.length + " bytes}";
  }
}
