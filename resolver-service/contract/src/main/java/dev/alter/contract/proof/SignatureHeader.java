package dev.alter.contract.proof;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code Authorization} value of a signed request:
 *
 * <pre>
 * Alter-Signature keyId=&lt;32 hex&gt;, ts=&lt;epoch seconds&gt;, nonce=&lt;base64url&gt;, sig=&lt;base64url DER&gt;
 *   [, agentKeyId=&lt;32 hex&gt;, agentSig=&lt;base64url DER&gt;]
 * </pre>
 *
 * The optional pair proves possession of a managed agent's token over the same signed string.
 * Parsing is strict (each parameter once, no others, fixed shapes) and its errors name the
 * parameter, never a value.
 */
public final class SignatureHeader {
  public static final String SCHEME = "Alter-Signature";
  static final int MAX_LENGTH = 1024;

  private static final Pattern KEY_ID =
      Pattern.compile("[0-9a-f]{" + ProofKey.KEY_ID_HEX_LENGTH + "}");
  private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");
  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  private static final Pattern SIGNATURE = Pattern.compile("[A-Za-z0-9_-]{8,200}");

  private final String keyId;
  private final long timestamp;
  private final String nonce;
  private final String signature;
  private final String agentKeyId;
  private final String agentSignature;

  public SignatureHeader(
      String keyId,
      long timestamp,
      String nonce,
      String signature,
      String agentKeyId,
      String agentSignature) {
    this.keyId = keyId;
    this.timestamp = timestamp;
    this.nonce = nonce;
    this.signature = signature;
    this.agentKeyId = agentKeyId;
    this.agentSignature = agentSignature;
  }

  /** Whether an {@code Authorization} value uses this scheme (and so must parse). */
  public static boolean isSignature(String authorization) {
    return authorization != null
        && authorization.length() > SCHEME.length()
        && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
        && authorization.charAt(SCHEME.length()) == ' ';
  }

  /**
   * @throws IllegalArgumentException naming what is wrong, without quoting the value
   */
  public static SignatureHeader parse(String authorization) {
    if (!isSignature(authorization)) {
      throw new IllegalArgumentException("not an " + SCHEME + " authorization");
    }
    if (authorization.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "the " + SCHEME + " authorization is longer than " + MAX_LENGTH);
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String part : authorization.substring(SCHEME.length() + 1).split(",", -1)) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("each " + SCHEME + " parameter is name=value");
      }
      String name = p.substring(0, eq);
      if (!isKnown(name)) {
        throw new IllegalArgumentException("unknown " + SCHEME + " parameter");
      }
      if (params.put(name, p.substring(eq + 1)) != null) {
        throw new IllegalArgumentException(SCHEME + " parameter " + name + " appears twice");
      }
    }
    String keyId = required(params, "keyId", KEY_ID);
    long ts = Long.parseLong(required(params, "ts", TIMESTAMP));
    String nonce = required(params, "nonce", NONCE);
    String sig = required(params, "sig", SIGNATURE);
    boolean agent = params.containsKey("agentKeyId") || params.containsKey("agentSig");
    String agentKeyId = agent ? required(params, "agentKeyId", KEY_ID) : null;
    String agentSig = agent ? required(params, "agentSig", SIGNATURE) : null;
    return new SignatureHeader(keyId, ts, nonce, sig, agentKeyId, agentSig);
  }

  public String format() {
    return SCHEME
        + " keyId="
        + keyId
        + ", ts="
        + timestamp
        + ", nonce="
        + nonce
        + ", sig="
        + signature
        + (agentKeyId == null ? "" : ", agentKeyId=" + agentKeyId + ", agentSig=" + agentSignature);
  }

  public String keyId() {
    return keyId;
  }

  public long timestamp() {
    return timestamp;
  }

  public String nonce() {
    return nonce;
  }

  public String signature() {
    return signature;
  }

  /** The agent token's key id, or null when the request proves no agent token. */
  public String agentKeyId() {
    return agentKeyId;
  }

  public String agentSignature() {
    return agentSignature;
  }

  @Override
  public String toString() {
    return "SignatureHeader{keyId="
        + keyId
        + ", ts="
        + timestamp
        + (agentKeyId == null ? "" : ", agentKeyId=" + agentKeyId)
        + "}";
  }

  private static boolean isKnown(String name) {
    switch (name) {
      case "keyId":
      case "ts":
      case "nonce":
      case "sig":
      case "agentKeyId":
      case "agentSig":
        return true;
      default:
        return false;
    }
  }

  private static String required(Map<String, String> params, String name, Pattern shape) {
    String value = params.get(name);
    if (value == null) {
      throw new IllegalArgumentException(SCHEME + " parameter " + name + " is missing");
    }
    if (!shape.matcher(value).matches()) {
      throw new IllegalArgumentException(SCHEME + " parameter " + name + " is malformed");
    }
    return value;
  }
}
