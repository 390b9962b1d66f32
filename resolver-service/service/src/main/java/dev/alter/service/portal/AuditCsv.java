package dev.alter.service.portal;

import dev.alter.service.app.Views;
import java.util.List;

/**
 * Audit events as RFC 4180 CSV. A cell that a spreadsheet would read as a formula gets a leading
 * apostrophe: labels and reasons can hold operator-typed text.
 */
final class AuditCsv {
  private AuditCsv() {}

  static String of(List<Views.AuditEvent> events) {
    StringBuilder out =
        new StringBuilder(
            "event_id,time,actor,action,outcome,app_id,secret_id,grant_id,principal,destination_host,reason,fingerprint,count,last_time\r\n");
    for (Views.AuditEvent e : events) {
      row(
          out,
          e.eventId(),
          e.time(),
          e.actor(),
          e.action(),
          e.outcome(),
          e.appId(),
          e.secretId(),
          e.grantId(),
          e.principal(),
          e.destinationHost(),
          e.reason(),
          e.fingerprint(),
          Integer.toString(e.count()),
          e.lastTime());
    }
    return out.toString();
  }

  private static void row(StringBuilder out, String... cells) {
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(cell(cells[i]));
    }
    out.append("\r\n");
  }

  static String cell(String value) {
    if (value == null) {
      return "";
    }
    String v = value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.indexOf(',') >= 0
        || v.indexOf('"') >= 0
        || v.indexOf('\n') >= 0
        || v.indexOf('\r') >= 0
        || !v.equals(value)) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }
}
