package dev.alter.service.app;

import dev.alter.contract.CredentialPayload;
import dev.alter.contract.WireFormat;
import dev.alter.contract.aws.AwsDerivedCredential;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an {@code aws} secret stores: the access key id as the primary part, {@code
 * secret_access_key} (required), and for temporary credentials {@code session_token} with an
 * optional {@code session_expires_at} (ISO-8601 instant or epoch seconds, stored as epoch seconds).
 * The secret access key is read here only to derive signing keys; it never leaves the service
 * (SECURITY.md invariant 4), and no message names a value.
 */
final class AwsStoredCredential {
  private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d{1,12}");

  private final String accessKeyId;
  private final String secretAccessKey;
  private final String sessionToken;

  /** 0 when there is no session token or its expiry is unknown. */
  private final long sessionExpiresAt;

  private AwsStoredCredential(
      String accessKeyId, String secretAccessKey, String sessionToken, long sessionExpiresAt) {
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
    this.sessionToken = sessionToken;
    this.sessionExpiresAt = sessionExpiresAt;
  }

  String accessKeyId() {
    return accessKeyId;
  }

  String secretAccessKey() {
    return secretAccessKey;
  }

  String sessionToken() {
    return sessionToken;
  }

  long sessionExpiresAtEpochSeconds() {
    return sessionExpiresAt;
  }

  /** Reads a decrypted version; versions were validated when stored. */
  static AwsStoredCredential from(CredentialPayload stored) {
    String secret = stored.part(AwsDerivedCredential.STORED_SECRET_ACCESS_KEY);
    if (secret == null) {
      throw new IllegalStateException("a stored aws credential lacks its secret_access_key");
    }
    String expires = stored.part(AwsDerivedCredential.STORED_SESSION_EXPIRES_AT);
    return new AwsStoredCredential(
        stored.primary(),
        secret,
        stored.part(AwsDerivedCredential.STORED_SESSION_TOKEN),
        expires == null ? 0L : parseExpiry(expires));
  }

  /**
   * Checks the parts of an {@code aws} secret about to be stored (create or rotate) and normalises
   * {@code session_expires_at} to epoch seconds in {@code parts}.
   *
   * @throws ApiException validation_failed naming the part and what to do
   */
  static void checkForStorage(Map<String, String> parts, Instant now) {
    String accessKeyId = parts.get(WireFormat.PRIMARY_PART);
    for (int i = 0; i < accessKeyId.length(); i++) {
      char c = accessKeyId.charAt(i);
      // the id goes into "Credential=<id>/<scope>, SignedHeaders=…": these would break that header
      if (c == ' ' || c == '/' || c == ',') {
        throw ApiException.invalid(
            "credential (the AWS access key id) must not contain spaces, '/' or ','");
      }
    }
    if (!parts.containsKey(AwsDerivedCredential.STORED_SECRET_ACCESS_KEY)) {
      throw ApiException.invalid(
          "credential_parts.secret_access_key is required for provider 'aws' "
              + "(the credential itself is the access key id)");
    }
    String expires = parts.get(AwsDerivedCredential.STORED_SESSION_EXPIRES_AT);
    if (expires == null) {
      return;
    }
    if (!parts.containsKey(AwsDerivedCredential.STORED_SESSION_TOKEN)) {
      throw ApiException.invalid(
          "credential_parts.session_expires_at applies only together with "
              + "credential_parts.session_token");
    }
    long epochSeconds;
    try {
      epochSeconds = parseExpiry(expires);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("credential_parts." + e.getMessage());
    }
    if (epochSeconds <= now.getEpochSecond()) {
      throw ApiException.invalid(
          "credential_parts.session_expires_at ("
              + Instant.ofEpochSecond(epochSeconds)
              + ") is not in the future: store fresh temporary credentials");
    }
    parts.put(AwsDerivedCredential.STORED_SESSION_EXPIRES_AT, Long.toString(epochSeconds));
  }

  /**
   * @throws IllegalArgumentException saying which forms are accepted (never echoing the value)
   */
  static long parseExpiry(String value) {
    Instant expiry;
    try {
      expiry =
          EPOCH_SECONDS.matcher(value).matches()
              ? Instant.ofEpochSecond(Long.parseLong(value))
              : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "session_expires_at must be an ISO-8601 instant such as "
              + "2026-11-28T12:00:00Z or epoch seconds");
    }
    if (!Times.inRange(expiry)) {
      throw new IllegalArgumentException("session_expires_at must be in year 0001 to year 9999");
    }
    return expiry.getEpochSecond();
  }

  /** Never prints the secret access key or the session token. */
  @Override
  public String toString() {
    return "AwsStoredCredential{session=" + (sessionToken != null) + ", values=[redacted]}";
  }
}
