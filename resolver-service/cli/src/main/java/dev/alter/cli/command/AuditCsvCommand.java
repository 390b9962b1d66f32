package dev.alter.cli.command;

import static dev.alter.cli.http.AdminApiClient.path;

import dev.alter.cli.AdminCommand;
import dev.alter.cli.Session;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alter audit csv}: the filtered audit view as CSV on stdout. */
@Command(
    name = "csv",
    description = "Download the filtered audit view as CSV (newest first).",
    footerHeading = "%nExamples:%n",
    footer = {"  alter audit csv --grant grt_… --from 2026-11-01T00:00:00Z > grant-audit.csv"})
public final class AuditCsvCommand extends AdminCommand {
  @Option(names = "--app", paramLabel = "APP_ID")
  String appId;

  @Option(names = "--secret", paramLabel = "SECRET_ID")
  String secretId;

  @Option(names = "--grant", paramLabel = "GRANT_ID")
  String grantId;

  @Option(names = "--outcome", paramLabel = "OUTCOME", description = "allowed, denied or ok.")
  String outcome;

  @Option(names = "--action", paramLabel = "ACTION")
  String action;

  @Option(names = "--from", paramLabel = "TIME", description = "RFC 3339, inclusive.")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "RFC 3339, exclusive.")
  String to;

  @Option(names = "--limit", paramLabel = "ROWS", description = "At most ROWS (default 10000).")
  Integer limit;

  @Override
  protected void run(Session session) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("app_id", appId);
    query.put("secret_id", secretId);
    query.put("grant_id", grantId);
    query.put("outcome", outcome);
    query.put("action", action);
    query.put("from", from);
    query.put("to", to);
    query.put("limit", limit == null ? null : limit.toString());
    String csv = session.api().get(path("audit", "csv"), query).body();
    session.out().line(csv.endsWith("\r\n") ? csv.substring(0, csv.length() - 2) : csv);
  }
}
