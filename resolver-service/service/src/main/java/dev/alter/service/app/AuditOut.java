package dev.alter.service.app;

/** The audit leaving the service: the export cursor, the CSV download and webhook receivers. */
public record AuditOut(AuditExport export, AuditCsv csv, WebhookService webhooks) {}
