package dev.alter.service.app;

/** Test access to {@link AuditCsv}'s field encoding. */
public final class AuditCsvAccess {
  private AuditCsvAccess() {}

  public static String field(String value) {
    return AuditCsv.field(value);
  }
}
