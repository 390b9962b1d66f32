package dev.alter.service.store;

/**
 * A grant: the principal is stored as JSON text plus its type for lookups; the policy as canonical
 * JSON (null = none).
 */
public record GrantRecord(
    String grantId,
    String secretId,
    String appId,
    String label,
    String principalType,
    String principalJson,
    long createdAt,
    Long expiresAt,
    Long revokedAt,
    String policyJson) {}
