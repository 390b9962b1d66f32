package dev.alter.service.crypto;

import dev.alter.contract.proof.ProofKey;
import dev.alter.contract.proof.RequestSigning;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.encoders.Hex;

/**
 * What the service stores for an app key, admin key or agent token: the {@link ProofKey}'s id and
 * public key. Neither lets anyone sign or present the key; the public key d·G is computed here
 * because the JDK has no public scalar multiplication. Signatures are checked here too, with Bouncy
 * Castle's ECDSA (several times faster than the JDK's on the resolve path).
 */
public final class ProofKeys {
  /** Not registered globally: only this class's verifications use it. */
  private static final Provider BC = new BouncyCastleProvider();

  private ProofKeys() {}

  /** The stored form of a proof key. */
  public record Stored(String keyId, String publicKey) {}

  /** The stored form of the key or token itself (at issue). */
  public static Stored of(String key) {
    return of(ProofKey.fromKey(key));
  }

  /** The stored form from the SHA-256 of a key (converting a store that kept hashes). */
  public static Stored ofKeyHash(byte[] sha256OfKey) {
    return of(ProofKey.fromKeyHash(sha256OfKey));
  }

  /**
   * The stored public key as Bouncy Castle's, for {@link #verify}: checked to be on the curve,
   * converted once per key rather than per request.
   */
  public static PublicKey verifyingKey(String publicKeyHex) throws GeneralSecurityException {
    ECPublicKey checked = ProofKey.publicKeyFromHex(publicKeyHex);
    return KeyFactory.getInstance("EC", BC)
        .generatePublic(new X509EncodedKeySpec(checked.getEncoded()));
  }

  /**
   * Whether {@code signature} is {@code key}'s over {@code signedString} (Bouncy Castle's ECDSA).
   */
  public static boolean verify(PublicKey key, String signedString, String signature) {
    return RequestSigning.verify(key, signedString, signature, BC);
  }

  private static Stored of(ProofKey key) {
    ECPoint q =
        new FixedPointCombMultiplier()
            .multiply(CustomNamedCurves.getByName("secp256r1").getG(), key.privateScalar())
            .normalize();
    return new Stored(key.keyId(), Hex.toHexString(q.getEncoded(false)));
  }
}
