package dev.alter.service.store;

import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.crypto.ProofKeys;

/**
 * A stored app or admin key: only its proof key id and public key ({@code ProofKeys}), from which
 * the key cannot be recovered nor a request signed.
 */
public record ApiKeyRecord(
    String keyId,
    String kind,
    String appId,
    String proofKeyId,
    String publicKey,
    long createdAt,
    Long revokedAt,
    Long lastUsedAt) {
  public static final String APP = "app";
  public static final String ADMIN = "admin";

  /** The row for a newly issued {@code key} of this kind. */
  public static ApiKeyRecord issued(String kind, String appId, String key, long now) {
    ProofKeys.Stored proof = ProofKeys.of(key);
    return new ApiKeyRecord(
        ApiKeys.newId("key_"), kind, appId, proof.keyId(), proof.publicKey(), now, null, null);
  }

  public boolean revoked() {
    return revokedAt != null;
  }
}
