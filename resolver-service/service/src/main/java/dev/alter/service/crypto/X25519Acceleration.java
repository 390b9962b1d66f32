package dev.alter.service.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGeneratorSpi;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreementSpi;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Makes the JDK's {@code XDH} key pair generation and key agreement run on Bouncy Castle's RFC 7748
 * X25519 arithmetic for this JVM. Every resolve seals with HPKE, which costs an ephemeral key pair
 * and a Diffie-Hellman; on JDK 17 SunEC's generic field arithmetic made those two scalar
 * multiplications about half of the service's CPU per resolve. Bouncy Castle's dedicated 25519
 * field is about twice as fast, and its fixed-base comb makes key generation several times faster
 * still.
 *
 * <p>Only these two XDH services are registered, ahead of SunEC; keys stay SunEC's own ({@code
 * XECPublicKey}/{@code XECPrivateKey} from its key factory), so the contract's JDK-only code works
 * unchanged. The agreement takes keys of any provider and refuses a low-order peer key with an
 * {@link InvalidKeyException} (a security error the service answers as an unusable public key), as
 * SunEC does.
 */
public final class X25519Acceleration {
  static final String PROVIDER_NAME = "AlterX25519";

  private X25519Acceleration() {}

  /** Registers the provider once per JVM; returns whether this call registered it. */
  public static synchronized boolean install() {
    if (Security.getProvider(PROVIDER_NAME) != null) {
      return false;
    }
    Security.insertProviderAt(new XdhProvider(), 1);
    return true;
  }

  private static final class XdhProvider extends Provider {
    private static final long serialVersionUID = 1L;

    XdhProvider() {
      super(PROVIDER_NAME, "1.0", "X25519 (XDH) on Bouncy Castle's RFC 7748 arithmetic");
      put("KeyPairGenerator.XDH", X25519KeyPairs.class.getName());
      put("KeyAgreement.XDH", X25519Agreement.class.getName());
    }
  }

  /**
   * X25519 key pairs: a random scalar, its public key by fixed-base multiplication, as SunEC keys.
   */
  public static final class X25519KeyPairs extends KeyPairGeneratorSpi {
    private SecureRandom random;

    public X25519KeyPairs() {}

    @Override
    public void initialize(int keysize, SecureRandom random) {
      if (keysize != 255) {
        throw new InvalidParameterException("only X25519 (255 bits) is supported");
      }
      this.random = random;
    }

    @Override
    public void initialize(AlgorithmParameterSpec params, SecureRandom random)
        throws InvalidAlgorithmParameterException {
      if (!isX25519(params)) {
        throw new InvalidAlgorithmParameterException("only X25519 is supported");
      }
      this.random = random;
    }

    @Override
    public KeyPair generateKeyPair() {
      byte[] scalar = new byte[LENGTH];
      byte[] publicKey = new byte[LENGTH];
      try {
        X25519.generatePrivateKey(random == null ? new SecureRandom() : random, scalar);
        X25519.generatePublicKey(scalar, 0, publicKey, 0);
        KeyFactory sunEc = KeyFactory.getInstance("XDH", "SunEC");
        return new KeyPair(
            sunEc.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, uOf(publicKey))),
            sunEc.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar)));
      } catch (GeneralSecurityException e) {
        throw new ProviderException("SunEC cannot hold an X25519 key", e);
      } finally {
        Arrays.fill(scalar, (byte) 0);
      }
    }
  }

  /** X25519 Diffie-Hellman over any provider's {@code XECPrivateKey}/{@code XECPublicKey}. */
  public static final class X25519Agreement extends KeyAgreementSpi {
    private byte[] scalar;
    private byte[] secret;

    public X25519Agreement() {}

    @Override
    protected void engineInit(Key key, SecureRandom random) throws InvalidKeyException {
      if (!(key instanceof XECPrivateKey privateKey) || !isX25519(privateKey.getParams())) {
        throw new InvalidKeyException("an X25519 private key is required");
      }
      byte[] s =
          privateKey
              .getScalar()
              .orElseThrow(() -> new InvalidKeyException("the X25519 private key has no scalar"));
      if (s.length != LENGTH) {
        throw new InvalidKeyException("an X25519 scalar has 32 bytes");
      }
      clear();
      scalar = s;
    }

    @Override
    protected void engineInit(Key key, AlgorithmParameterSpec params, SecureRandom random)
        throws InvalidKeyException, InvalidAlgorithmParameterException {
      if (params != null && !isX25519(params)) {
        throw new InvalidAlgorithmParameterException("only X25519 is supported");
      }
      engineInit(key, random);
    }

    @Override
    protected Key engineDoPhase(Key key, boolean lastPhase) throws InvalidKeyException {
      if (scalar == null) {
        throw new IllegalStateException("not initialised");
      }
      if (!lastPhase) {
        throw new IllegalStateException("X25519 has a single phase");
      }
      if (!(key instanceof XECPublicKey publicKey) || !isX25519(publicKey.getParams())) {
        throw new InvalidKeyException("an X25519 public key is required");
      }
      byte[] out = new byte[LENGTH];
      if (!X25519.calculateAgreement(scalar, 0, littleEndian(publicKey.getU()), 0, out, 0)) {
        throw new InvalidKeyException(
            "X25519 produced the all-zero shared secret (a low-order public key)");
      }
      secret = out;
      return null;
    }

    @Override
    protected byte[] engineGenerateSecret() {
      if (secret == null) {
        throw new IllegalStateException("doPhase has not run");
      }
      byte[] out = secret;
      secret = null;
      return out;
    }

    @Override
    protected int engineGenerateSecret(byte[] sharedSecret, int offset)
        throws ShortBufferException {
      if (sharedSecret.length - offset < LENGTH) {
        throw new ShortBufferException("32 bytes are needed");
      }
      byte[] out = engineGenerateSecret();
      System.arraycopy(out, 0, sharedSecret, offset, LENGTH);
      Arrays.fill(out, (byte) 0);
      return LENGTH;
    }

    @Override
    protected SecretKey engineGenerateSecret(String algorithm) throws NoSuchAlgorithmException {
      if (algorithm == null) {
        throw new NoSuchAlgorithmException("an algorithm name is required");
      }
      byte[] out = engineGenerateSecret();
      try {
        return new SecretKeySpec(out, algorithm);
      } finally {
        Arrays.fill(out, (byte) 0);
      }
    }

    private void clear() {
      if (scalar != null) {
        Arrays.fill(scalar, (byte) 0);
      }
      if (secret != null) {
        Arrays.fill(secret, (byte) 0);
      }
      scalar = null;
      secret = null;
    }
  }

  private static final int LENGTH = 32;

  private static boolean isX25519(AlgorithmParameterSpec params) {
    return params instanceof NamedParameterSpec named && "X25519".equalsIgnoreCase(named.getName());
  }

  /**
   * RFC 7748 encoding of a u-coordinate: 32 bytes, little-endian (the top bit is ignored on use).
   */
  private static byte[] littleEndian(BigInteger u) {
    byte[] bigEndian = u.toByteArray();
    byte[] out = new byte[LENGTH];
    for (int i = 0; i < LENGTH && i < bigEndian.length; i++) {
      out[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return out;
  }

  /** The u-coordinate of a little-endian RFC 7748 public key. */
  private static BigInteger uOf(byte[] littleEndian) {
    byte[] bigEndian = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      bigEndian[i] = littleEndian[LENGTH - 1 - i];
    }
    bigEndian[0] &= 0x7f;
    return new BigInteger(1, bigEndian);
  }
}
