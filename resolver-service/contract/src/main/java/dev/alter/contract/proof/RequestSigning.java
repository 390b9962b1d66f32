package dev.alter.contract.proof;

import dev.alter.contract.Hex;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.Locale;

/**
 * Proof of possession for a request: the caller signs a canonical string with its {@link ProofKey}
 * instead of sending the key. The string binds a version tag, the method, the path, the service's
 * authority as the {@code Host} header carries it, a timestamp, a one-time nonce and SHA-256 of the
 * body (which for a resolve holds the calling process's X25519 public key):
 *
 * <pre>
 * alter-signature-v1 \n METHOD \n /path \n host[:port] \n ts \n nonce \n hex(SHA-256(body))
 * </pre>
 *
 * Signatures are SHA256withECDSA, DER, base64url without padding.
 */
public final class RequestSigning {
  public static final String VERSION = "alter-signature-v1";
  private static final String ALGORITHM = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private RequestSigning() {}

  public static String canonical(
      String method, String path, String authority, long timestamp, String nonce, byte[] body) {
    return VERSION
        + '\n'
        + method.toUpperCase(Locale.ROOT)
        + '\n'
        + path
        + '\n'
        + authority.toLowerCase(Locale.ROOT)
        + '\n'
        + timestamp
        + '\n'
        + nonce
        + '\n'
        + Hex.encode(ProofKey.sha256(body));
  }

  /**
   * The {@code Host} header the JDK HttpClient sends for {@code uri}: the host, with the port only
   * when it is not the scheme's default.
   */
  public static String authority(URI uri) {
    int port = uri.getPort();
    boolean secure = "https".equalsIgnoreCase(uri.getScheme());
    boolean defaultPort = port == -1 || (secure ? port == 443 : port == 80);
    return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
  }

  /** 16 random bytes, base64url. */
  public static String newNonce() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return B64.encodeToString(bytes);
  }

  /**
   * The header for a request to {@code uri}, signed by {@code key} and, when {@code agentKey} is
   * not null, by the agent token's key over the same string.
   */
  public static SignatureHeader sign(
      ProofKey key,
      ProofKey agentKey,
      String method,
      URI uri,
      byte[] body,
      long timestamp,
      String nonce) {
    String canonical = canonical(method, uri.getRawPath(), authority(uri), timestamp, nonce, body);
    return new SignatureHeader(
        key.keyId(),
        timestamp,
        nonce,
        sign(key, canonical),
        agentKey == null ? null : agentKey.keyId(),
        agentKey == null ? null : sign(agentKey, canonical));
  }

  /**
   * Whether {@code signature} (base64url DER) is {@code key}'s over {@code canonical}; false on any
   * malformation.
   */
  public static boolean verify(ECPublicKey key, String canonical, String signature) {
    return verify(key, canonical, signature, null);
  }

  /**
   * As {@link #verify(ECPublicKey, String, String)}, with {@code provider}'s ECDSA (the service
   * passes Bouncy Castle's, several times faster than the JDK's); null for the JDK's.
   */
  public static boolean verify(
      PublicKey key, String canonical, String signature, Provider provider) {
    try {
      Signature s =
          provider == null
              ? Signature.getInstance(ALGORITHM)
              : Signature.getInstance(ALGORITHM, provider);
      s.initVerify(key);
      s.update(canonical.getBytes(StandardCharsets.UTF_8));
      return s.verify(Base64.getUrlDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static String sign(ProofKey key, String canonical) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key.privateKey());
      s.update(canonical.getBytes(StandardCharsets.UTF_8));
      return B64.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA256withECDSA is not available in this JDK", e);
    }
  }
}
