package dev.alter.contract;

/**
 * An HPKE single-shot ciphertext: {@code enc} (the sender's ephemeral X25519 public key, 32 bytes)
 * and {@code ciphertext} (AES-256-GCM output with tag), both base64url without padding. The
 * associated data is not transmitted: the receiver recomputes it from the grant id and version it
 * asked for ({@link CredentialSealing#associatedData}), so a box for another grant or version fails
 * to open.
 */
public final class SealedBox {
  private String enc;
  private String ciphertext;

  public SealedBox() {}

  public SealedBox(String enc, String ciphertext) {
    this.enc = enc;
    this.ciphertext = ciphertext;
  }

  public String getEnc() {
    return enc;
  }

  public void setEnc(String enc) {
    this.enc = enc;
  }

  public String getCiphertext() {
    return ciphertext;
  }

  public void setCiphertext(String ciphertext) {
    this.ciphertext = ciphertext;
  }
}
