package dev.alter.contract;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.Base64;

/**
 * Alter's use of HPKE for resolve responses (SECURITY.md invariant 3): suite X25519 / HKDF-SHA256 /
 * AES-256-GCM, a fixed {@code info}, and associated data naming the grant and credential version so
 * a box cannot be replayed for another grant or version.
 */
public final class CredentialSealing {
  static final byte[] INFO = "alter-credential-v1".getBytes(StandardCharsets.US_ASCII);

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

  private CredentialSealing() {}

  public static byte[] associatedData(String grantId, long credentialVersion) {
    return associatedData(grantId, credentialVersion, false);
  }

  /**
   * With {@code policy}, the associated data says a request policy is sealed inside: an agent that
   * does not know policies (or an answer whose {@code policy_sealed} flag was removed on the way)
   * cannot open the box, so no policy is ever silently ignored.
   */
  public static byte[] associatedData(String grantId, long credentialVersion, boolean policy) {
    return ("alter/v1|grant="
            + grantId
            + "|version="
            + credentialVersion
            + (policy ? "|policy" : ""))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Service side: seal {@code payload} to the caller's raw X25519 public key. */
  public static SealedBox seal(
      byte[] recipientPublicKey, String grantId, long credentialVersion, CredentialPayload payload)
      throws GeneralSecurityException {
    Hpke.Sealed sealed =
        Hpke.x25519Aes256Gcm()
            .seal(
                recipientPublicKey,
                INFO,
                associatedData(grantId, credentialVersion, payload.requestPolicy() != null),
                payload.encode());
    return new SealedBox(B64.encodeToString(sealed.enc), B64.encodeToString(sealed.ciphertext));
  }

  /** Agent side: open a box with the process's in-memory key pair. */
  public static CredentialPayload open(
      PrivateKey privateKey,
      byte[] publicKey,
      String grantId,
      long credentialVersion,
      SealedBox box)
      throws GeneralSecurityException {
    return open(privateKey, publicKey, grantId, credentialVersion, false, box);
  }

  /**
   * @param policySealed the answer's {@code policy_sealed}: the box holds a request policy
   */
  public static CredentialPayload open(
      PrivateKey privateKey,
      byte[] publicKey,
      String grantId,
      long credentialVersion,
      boolean policySealed,
      SealedBox box)
      throws GeneralSecurityException {
    if (box == null || box.getEnc() == null || box.getCiphertext() == null) {
      throw new GeneralSecurityException("sealed box is incomplete");
    }
    byte[] plaintext;
    try {
      plaintext =
          Hpke.x25519Aes256Gcm()
              .open(
                  privateKey,
                  publicKey,
                  B64_DECODER.decode(box.getEnc()),
                  INFO,
                  associatedData(grantId, credentialVersion, policySealed),
                  B64_DECODER.decode(box.getCiphertext()));
    } catch (IllegalArgumentException badBase64) {
      throw new GeneralSecurityException("sealed box is not valid base64url");
    }
    try {
      CredentialPayload payload = CredentialPayload.decode(plaintext);
      if ((payload.requestPolicy() != null) != policySealed) {
        throw new GeneralSecurityException("sealed payload does not match its policy flag");
      }
      return payload;
    } catch (IllegalArgumentException malformed) {
      throw new GeneralSecurityException("sealed payload is malformed");
    } finally {
      java.util.Arrays.fill(plaintext, (byte) 0);
    }
  }

  public static String encodePublicKey(byte[] raw) {
    return B64.encodeToString(raw);
  }

  /** Parses the {@code public_key} field; throws on anything but 32 bytes of base64url. */
  public static byte[] decodePublicKey(String encoded) throws GeneralSecurityException {
    try {
      byte[] raw = B64_DECODER.decode(encoded);
      if (raw.length != X25519Keys.KEY_LENGTH) {
        throw new GeneralSecurityException("public_key must be 32 bytes (raw X25519)");
      }
      return raw;
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("public_key is not base64url");
    }
  }
}
