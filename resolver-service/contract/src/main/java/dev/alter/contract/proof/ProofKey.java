package dev.alter.contract.proof;

import dev.alter.contract.Hex;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ECDSA P-256 signing key an app key or agent token stands for, and its public key id. Both are
 * derived from h = SHA-256(key) with HKDF-SHA256 (RFC 5869): the scalar d from 48 bytes of output
 * reduced into [1, n-1] (FIPS 186-5 A.4.1, so the bias is below 2^-128), the key id from 16 bytes.
 * The service, which stores neither the key nor h, can derive them once from h (when it converts a
 * stored hash) and keeps only the key id and the public key d·G.
 *
 * <p>P-256 because the agent runs on Java 11, which has no Ed25519; the JDK signs with the scalar
 * alone, so the agent needs no curve arithmetic.
 */
public final class ProofKey {
  /** Hex characters of a key id (16 bytes). */
  public static final int KEY_ID_HEX_LENGTH = 32;

  private static final byte[] SALT = ascii("alter-proof-key-v1");
  private static final byte[] SCALAR_INFO = ascii("ecdsa-p256 scalar");
  private static final byte[] KEY_ID_INFO = ascii("key id");
  private static final ECParameterSpec P256 = p256();
  private static final BigInteger N_MINUS_ONE = P256.getOrder().subtract(BigInteger.ONE);

  private final String keyId;
  private final BigInteger scalar;

  /**
   * The JDK key object for {@link #scalar}, made on first use: an agent signs a heartbeat every few
   * seconds with the same key, and a key factory per signature showed in an idle agent's profile.
   */
  private volatile ECPrivateKey privateKey;

  private ProofKey(String keyId, BigInteger scalar) {
    this.keyId = keyId;
    this.scalar = scalar;
  }

  /**
   * The proof key of an {@code alter_key_app_…}, {@code alter_key_admin_…} or agent token string.
   */
  public static ProofKey fromKey(String key) {
    byte[] h = sha256(key.getBytes(StandardCharsets.UTF_8));
    try {
      return fromKeyHash(h);
    } finally {
      Arrays.fill(h, (byte) 0);
    }
  }

  /** The proof key from SHA-256 of the key's UTF-8 bytes (what the service stored before V3). */
  public static ProofKey fromKeyHash(byte[] sha256OfKey) {
    if (sha256OfKey.length != 32) {
      throw new IllegalArgumentException("a key hash is 32 bytes");
    }
    byte[] prk = hmac(SALT, sha256OfKey);
    byte[] scalarBytes = expand(prk, SCALAR_INFO, 48);
    String keyId = Hex.encode(expand(prk, KEY_ID_INFO, 16));
    Arrays.fill(prk, (byte) 0);
    BigInteger d = new BigInteger(1, scalarBytes).mod(N_MINUS_ONE).add(BigInteger.ONE);
    Arrays.fill(scalarBytes, (byte) 0);
    return new ProofKey(keyId, d);
  }

  /** The key id only (no scalar), for looking a bearer-presented key up. */
  public static String keyIdOf(String key) {
    byte[] h = sha256(key.getBytes(StandardCharsets.UTF_8));
    byte[] prk = hmac(SALT, h);
    Arrays.fill(h, (byte) 0);
    String keyId = Hex.encode(expand(prk, KEY_ID_INFO, 16));
    Arrays.fill(prk, (byte) 0);
    return keyId;
  }

  /**
   * Lower-case hex, {@value #KEY_ID_HEX_LENGTH} characters; public (it travels in the signature
   * header).
   */
  public String keyId() {
    return keyId;
  }

  /** The secret scalar d; whoever holds it can sign as the key. */
  public BigInteger privateScalar() {
    return scalar;
  }

  public ECPrivateKey privateKey() {
    ECPrivateKey key = privateKey;
    if (key == null) {
      try {
        key =
            (ECPrivateKey)
                KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(scalar, P256));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("EC P-256 is not available in this JDK", e);
      }
      privateKey = key;
    }
    return key;
  }

  /** The P-256 domain parameters from the JDK's provider. */
  public static ECParameterSpec curve() {
    return P256;
  }

  /**
   * A public key from its SEC1 uncompressed encoding, hex ({@code 04 || x || y}, 130 characters),
   * the form the service stores. The JDK's key factory does not check that the point is on the
   * curve, so this does.
   */
  public static ECPublicKey publicKeyFromHex(String uncompressedHex)
      throws GeneralSecurityException {
    byte[] encoded;
    try {
      encoded = Hex.decode(uncompressedHex);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("public key is not hex");
    }
    if (encoded.length != 65 || encoded[0] != 4) {
      throw new GeneralSecurityException("public key is not an uncompressed P-256 point");
    }
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(encoded, 1, 33));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(encoded, 33, 65));
    BigInteger p = ((java.security.spec.ECFieldFp) P256.getCurve().getField()).getP();
    BigInteger rhs =
        x.pow(3).add(P256.getCurve().getA().multiply(x)).add(P256.getCurve().getB()).mod(p);
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0 || !y.multiply(y).mod(p).equals(rhs)) {
      throw new GeneralSecurityException("public key is not on P-256");
    }
    return (ECPublicKey)
        KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256));
  }

  /** The SEC1 uncompressed encoding of {@code key}, hex. */
  public static String publicKeyHex(ECPublicKey key) {
    byte[] out = new byte[65];
    out[0] = 4;
    copyUnsigned(key.getW().getAffineX(), out, 1);
    copyUnsigned(key.getW().getAffineY(), out, 33);
    return Hex.encode(out);
  }

  /** Never prints the scalar. */
  @Override
  public String toString() {
    return "ProofKey{" + keyId + "}";
  }

  private static void copyUnsigned(BigInteger value, byte[] out, int offset) {
    byte[] bytes = value.toByteArray();
    int start = Math.max(0, bytes.length - 32);
    int length = bytes.length - start;
    System.arraycopy(bytes, start, out, offset + 32 - length, length);
  }

  private static byte[] expand(byte[] prk, byte[] info, int length) {
    // RFC 5869 HKDF-Expand; 48 bytes take two blocks
    byte[] out = new byte[length];
    byte[] block = new byte[0];
    int written = 0;
    for (int counter = 1; written < length; counter++) {
      byte[] input = new byte[block.length + info.length + 1];
      System.arraycopy(block, 0, input, 0, block.length);
      System.arraycopy(info, 0, input, block.length, info.length);
      input[input.length - 1] = (byte) counter;
      block = hmac(prk, input);
      int n = Math.min(block.length, length - written);
      System.arraycopy(block, 0, out, written, n);
      written += n;
    }
    return out;
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available in this JDK", e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
