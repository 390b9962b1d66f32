package dev.alter.service.store;

/** A live key a user uploaded: its managed secret and the user grant bound to its owner. */
public record UserSecretRecord(
    String secretId,
    String grantId,
    String appId,
    String provider,
    String idpId,
    String userId,
    String name,
    long createdAt) {}
