package dev.alter.service.store;

import dev.alter.contract.InjectionSpec;
import java.util.List;

/** A managed secret's metadata (the store keeps injection and destinations as JSON text). */
public record SecretRecord(
    String secretId,
    String appId,
    String provider,
    String label,
    InjectionSpec injection,
    List<String> destinations,
    boolean allowPlainHttp,
    int ttlSeconds,
    long currentVersion,
    String fingerprint,
    long createdAt,
    long updatedAt,
    Long deletedAt) {

  public boolean deleted() {
    return deletedAt != null;
  }
}
