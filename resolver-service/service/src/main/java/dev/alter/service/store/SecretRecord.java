package dev.alter.service.store;

/** A managed secret's metadata; injection and destinations are stored as JSON text. */
public record SecretRecord(String secretId, String appId, String provider, String label,
    String injectionJson, String destinationsJson, boolean allowPlainHttp, int ttlSeconds,
    long currentVersion, String fingerprint, long createdAt, long updatedAt, Long deletedAt) {

  public boolean deleted() {
    return deletedAt != null;
  }
}
