package dev.alter.service.store;

import dev.alter.service.crypto.EncryptedCredential;

/** One webhook receiver row. {@code signingSecret} is the encrypted secret, never plaintext. */
public record WebhookReceiverRecord(
    String receiverId,
    String url,
    String description,
    boolean allowPlainHttp,
    EncryptedCredential signingSecret,
    String status,
    long deliveredPos,
    int attempts,
    Long failingSince,
    long nextAttemptAt,
    String lastError,
    Long lastDeliveredAt,
    long createdAt) {
  public static final String ACTIVE = "active";
  public static final String FAILING = "failing";
}
