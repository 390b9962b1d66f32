package dev.alter.service.crypto;

import dev.alter.contract.proof.ProofKey;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.encoders.Hex;

/**
 * What the service stores for an app key, admin key or agent token: the {@link ProofKey}'s id and
 * public key. Neither lets anyone sign or present the key; the public key d·G is computed here
 * because the JDK has no public scalar multiplication.
 */
public final class ProofKeys {
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

  private static Stored of(ProofKey key) {
    ECPoint q = new FixedPointCombMultiplier()
        .multiply(CustomNamedCurves.getByName("secp256r1").getG(), key.privateScalar()).normalize();
    return new Stored(key.keyId(), Hex.toHexString(q.getEncoded(false)));
  }
}
