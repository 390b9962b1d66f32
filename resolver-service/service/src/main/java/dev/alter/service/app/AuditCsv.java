package dev.alter.service.app;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The filtered audit view as CSV (RFC 4180, UTF-8, header row), newest first: the same filters as
 * {@code GET /v1/audit}, every matching event up to {@code limit} rows instead of one page.
 *
 * <p>A field a spreadsheet would run as a formula (starting with {@code = + - @}, tab or CR) gets a
 * leading apostrophe: audit fields carry caller-chosen text (actor labels, reasons, hosts).
 */
public final class AuditCsv {
  static final int DEFAULT_ROWS = 10_000;
  static final int MAX_ROWS = 100_000;
  private static final int PAGE = 1000;
  private static final List<String> HEADER =
      List.of(
          "time",
          "event_id",
          "action",
          "outcome",
          "actor",
          "app_id",
          "secret_id",
          "grant_id",
          "principal",
          "destination_host",
          "reason",
          "fingerprint");

  private final AuditQueryService audit;

  public AuditCsv(AuditQueryService audit) {
    this.audit = audit;
  }

  /**
   * @param params the filters of {@code GET /v1/audit}; {@code limit} is the row cap (1-100000,
   *     default 10000) and {@code cursor} is not taken
   */
  public byte[] render(Map<String, String> params) {
    if (params.containsKey("cursor")) {
      throw ApiException.invalid("the CSV download has no cursor: narrow it with from and to");
    }
    int rows = DEFAULT_ROWS;
    if (params.get("limit") != null) {
      try {
        rows = Integer.parseInt(params.get("limit"));
      } catch (NumberFormatException e) {
        rows = -1;
      }
      if (rows < 1 || rows > MAX_ROWS) {
        throw ApiException.invalid("limit must be from 1 to " + MAX_ROWS + " for the CSV download");
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, HEADER);
    String cursor = null;
    int written = 0;
    do {
      Map<String, String> page = new LinkedHashMap<>(params);
      page.put("limit", Integer.toString(Math.min(PAGE, rows - written)));
      if (cursor != null) {
        page.put("cursor", cursor);
      }
      Views.AuditPage result = audit.query(page);
      for (Views.AuditEvent e : result.events()) {
        line(
            out,
            java.util.Arrays.asList(
                e.time(),
                e.eventId(),
                e.action(),
                e.outcome(),
                e.actor(),
                e.appId(),
                e.secretId(),
                e.grantId(),
                e.principal(),
                e.destinationHost(),
                e.reason(),
                e.fingerprint()));
      }
      written += result.events().size();
      cursor = result.nextCursor();
    } while (cursor != null && written < rows);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void line(StringBuilder out, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(field(fields.get(i)));
    }
    out.append("\r\n");
  }

  static String field(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    String v = value;
    char first = v.charAt(0);
    if (first == '='
        || first == '+'
        || first == '-'
        || first == '@'
        || first == '\t'
        || first == '\r') {
      v = "'" + v;
    }
    if (v.indexOf(',') >= 0
        || v.indexOf('"') >= 0
        || v.indexOf('\n') >= 0
        || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }
}
