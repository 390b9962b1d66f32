package dev.alter.service.store;

/** A stored app or admin key: only the SHA-256 of the key itself. */
public record ApiKeyRecord(String keyId, String kind, String appId, String keyHash, long createdAt,
    Long revokedAt, Long lastUsedAt) {
  public static final String APP = "app";
  public static final String ADMIN = "admin";

  public boolean revoked() {
    return revokedAt != null;
  }
}
