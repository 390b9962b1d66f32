package dev.alter.contract.aws;

import dev.alter.contract.CredentialPayload;
import dev.alter.contract.Hex;
import dev.alter.contract.WireFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a resolve of an {@code aws} secret seals to the agent (SECURITY.md invariant 4): the SigV4
 * signing key derived for one scope, never the secret access key. The scope travels inside the
 * sealed payload, so the agent signs with exactly the scope the key was derived for.
 *
 * <p>Parts: {@code credential} and {@code access_key_id} (both the access key id), {@code
 * signing_key} (64 lower-case hex digits), {@code scope} ({@code yyyyMMdd/region/service}), and,
 * for temporary credentials, {@code session_token} with {@code session_expires_at} (epoch seconds).
 */
public final class AwsDerivedCredential {
  public static final String ACCESS_KEY_ID = "access_key_id";
  public static final String SIGNING_KEY = "signing_key";
  public static final String SCOPE = "scope";
  public static final String SESSION_TOKEN = "session_token";
  public static final String SESSION_EXPIRES_AT = "session_expires_at";

  /** Stored parts of an {@code aws} secret (the primary part is the access key id). */
  public static final String STORED_SECRET_ACCESS_KEY = "secret_access_key";

  public static final String STORED_SESSION_TOKEN = "session_token";

  /** Optional stored part: expiry of the session token, ISO-8601 instant or epoch seconds. */
  public static final String STORED_SESSION_EXPIRES_AT = "session_expires_at";

  private final String accessKeyId;
  private final byte[] signingKey;
  private final AwsScope scope;
  private final String sessionToken;
  private final long sessionExpiresAtEpochSeconds;

  /**
   * @param sessionExpiresAtEpochSeconds 0 when there is no session token or it does not expire
   */
  public AwsDerivedCredential(
      String accessKeyId,
      byte[] signingKey,
      AwsScope scope,
      String sessionToken,
      long sessionExpiresAtEpochSeconds) {
    if (signingKey.length != 32) {
      throw new IllegalArgumentException("a SigV4 signing key is 32 bytes");
    }
    this.accessKeyId = accessKeyId;
    this.signingKey = signingKey.clone();
    this.scope = scope;
    this.sessionToken = sessionToken;
    this.sessionExpiresAtEpochSeconds = sessionExpiresAtEpochSeconds;
  }

  public String accessKeyId() {
    return accessKeyId;
  }

  public byte[] signingKey() {
    return signingKey.clone();
  }

  public AwsScope scope() {
    return scope;
  }

  /** null when the stored key is long-lived */
  public String sessionToken() {
    return sessionToken;
  }

  public long sessionExpiresAtEpochSeconds() {
    return sessionExpiresAtEpochSeconds;
  }

  public CredentialPayload toPayload() {
    Map<String, String> parts = new LinkedHashMap<>();
    // every payload carries the primary part; for AWS it is the access key id, as stored
    parts.put(WireFormat.PRIMARY_PART, accessKeyId);
    parts.put(ACCESS_KEY_ID, accessKeyId);
    parts.put(SIGNING_KEY, Hex.encode(signingKey));
    parts.put(SCOPE, scope.date() + "/" + scope.region() + "/" + scope.service());
    if (sessionToken != null) {
      parts.put(SESSION_TOKEN, sessionToken);
    }
    if (sessionExpiresAtEpochSeconds > 0) {
      parts.put(SESSION_EXPIRES_AT, Long.toString(sessionExpiresAtEpochSeconds));
    }
    return CredentialPayload.of(parts);
  }

  /**
   * @throws IllegalArgumentException naming the missing or malformed part (never a value)
   */
  public static AwsDerivedCredential fromPayload(CredentialPayload payload) {
    String id = payload.part(ACCESS_KEY_ID);
    String key = payload.part(SIGNING_KEY);
    String scope = payload.part(SCOPE);
    if (id == null || key == null || scope == null) {
      throw new IllegalArgumentException(
          "the resolved AWS credential lacks access_key_id, signing_key or scope");
    }
    String[] s = scope.split("/", -1);
    if (s.length != 3) {
      throw new IllegalArgumentException("the resolved AWS scope is not date/region/service");
    }
    String expires = payload.part(SESSION_EXPIRES_AT);
    long expiresAt;
    try {
      expiresAt = expires == null ? 0L : Long.parseLong(expires);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "the resolved AWS session_expires_at is not epoch seconds");
    }
    return new AwsDerivedCredential(
        id, unhex(key), new AwsScope(s[0], s[1], s[2]), payload.part(SESSION_TOKEN), expiresAt);
  }

  private static byte[] unhex(String s) {
    byte[] key;
    try {
      key = Hex.decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the resolved AWS signing_key is not hex");
    }
    if (key.length != 32) {
      throw new IllegalArgumentException("the resolved AWS signing_key is not 32 bytes of hex");
    }
    return key;
  }

  /** Never prints the key or the session token. */
  @Override
  public String toString() {
    return "AwsDerivedCredential{scope="
        + scope
        + ", session="
        + (sessionToken != null)
        + ", key=[redacted]}";
  }
}
