package dev.alter.service.store;

/** Filters for reading audit events newest first; null means "any". */
public record AuditQuery(
    String appId,
    String secretId,
    String grantId,
    String outcome,
    String action,
    Long fromMillis,
    Long toMillis,
    int limit,
    Long beforeSeq) {}
