package dev.alter.service.app;

import dev.alter.contract.CredentialPayload;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.aws.AwsDerivedCredential;
import dev.alter.contract.aws.AwsScope;
import dev.alter.contract.aws.AwsSigningKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Turns a stored {@code aws} credential into what the agent receives (SECURITY.md invariant 4): the
 * SigV4 signing key for one scope, the access key id and any session token, never the secret access
 * key. Only SigV4 keys are derived; SigV4a (asymmetric, multi-region) keys never are.
 */
final class AwsSigningKeyIssuer {
  private AwsSigningKeyIssuer() {}

  /**
   * The payload to seal and the longest the agent may cache it: until the end of the scope's UTC
   * date (the key signs nothing after) and until the session token expires.
   */
  record Issued(CredentialPayload payload, long validForSeconds) {
    @Override
    public String toString() {
      return "Issued{validForSeconds=" + validForSeconds + ", payload=[redacted]}";
    }
  }

  /**
   * @throws ApiException credential_expired, naming the grant, when the session token has expired
   */
  static Issued issue(String grantId, AwsStoredCredential stored, AwsScope scope, Instant now) {
    long expiresAt = stored.sessionExpiresAtEpochSeconds();
    if (expiresAt > 0 && expiresAt <= now.getEpochSecond()) {
      throw new ApiException(
          ErrorCode.CREDENTIAL_EXPIRED,
          "the AWS session token of grant "
              + grantId
              + " expired at "
              + Instant.ofEpochSecond(expiresAt)
              + "; rotate its secret with fresh temporary credentials",
          grantId);
    }
    byte[] signingKey = AwsSigningKey.derive(stored.secretAccessKey(), scope);
    CredentialPayload payload;
    try {
      payload =
          new AwsDerivedCredential(
                  stored.accessKeyId(),
                  signingKey,
                  scope,
                  stored.sessionToken(),
                  stored.sessionToken() == null ? 0L : expiresAt)
              .toPayload();
    } finally {
      Arrays.fill(signingKey, (byte) 0);
    }
    long endOfDate =
        LocalDate.parse(scope.date(), AwsSigningScope.SIGNING_DATE)
            .plusDays(1)
            .atStartOfDay(ZoneOffset.UTC)
            .toEpochSecond();
    long nowMillis = now.toEpochMilli();
    // whole seconds, rounded down: the agent must never hold the key past either end
    long validFor = Math.floorDiv(endOfDate * 1000 - nowMillis, 1000);
    if (expiresAt > 0) {
      validFor = Math.min(validFor, Math.floorDiv(expiresAt * 1000 - nowMillis, 1000));
    }
    return new Issued(payload, Math.max(0, validFor));
  }
}
