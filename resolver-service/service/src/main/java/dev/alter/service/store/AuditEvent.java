package dev.alter.service.store;

/** One audit record. Identifiers and fingerprints only, never credential or token values. */
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
    String fingerprint) {}
