package dev.alter.service.store;

import dev.alter.service.crypto.EncryptedCredential;

public record CredentialVersionRecord(
    String secretId,
    long version,
    EncryptedCredential encrypted,
    String fingerprint,
    long createdAt) {}
