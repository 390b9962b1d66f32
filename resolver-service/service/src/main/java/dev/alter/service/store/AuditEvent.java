package dev.alter.service.store;

/**
 * One audit record. Identifiers and fingerprints only, never credential or token values. {@code
 * count} identical denials happened from {@code occurredAt} to {@code lastOccurredAt} (null when
 * the count is 1).
 */
public record AuditEvent(
    long seq,
    String eventId,
    long occurredAt,
    String actor,
    String action,
    String appId,
    String secretId,
    String grantId,
    String principal,
    String destinationHost,
    String outcome,
    String reason,
    String fingerprint,
    int count,
    Long lastOccurredAt) {

  /** A new record of one occurrence. */
  public AuditEvent(
      long seq,
      String eventId,
      long occurredAt,
      String actor,
      String action,
      String appId,
      String secretId,
      String grantId,
      String principal,
      String destinationHost,
      String outcome,
      String reason,
      String fingerprint) {
    this(
        seq,
        eventId,
        occurredAt,
        actor,
        action,
        appId,
        secretId,
        grantId,
        principal,
        destinationHost,
        outcome,
        reason,
        fingerprint,
        1,
        null);
  }
}
