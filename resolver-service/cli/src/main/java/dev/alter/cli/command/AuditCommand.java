package dev.alter.cli.command;

import static dev.alter.cli.command.Nodes.text;
import static dev.alter.cli.http.AdminApiClient.path;

import dev.alter.cli.AdminCommand;
import dev.alter.cli.Session;
import dev.alter.cli.http.ApiResponse;
import dev.alter.cli.output.Output;
import dev.alter.cli.output.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alter audit}: operator actions and resolutions, newest first, one page at a time. */
@Command(
    name = "audit",
    subcommands = {AuditExportCommand.class, AuditCsvCommand.class},
    description =
        "Query the audit log (identifiers and fingerprints only,"
            + " never credential or token values).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  alter audit --grant grt_… --action resolve --outcome denied",
      "  alter audit --app app_… --from 2026-11-01T00:00:00Z --limit 50",
      "  alter audit --cursor <next_cursor of the previous page>"
    })
public final class AuditCommand extends AdminCommand {
  @Option(names = "--app", paramLabel = "APP_ID")
  String appId;

  @Option(names = "--secret", paramLabel = "SECRET_ID")
  String secretId;

  @Option(names = "--grant", paramLabel = "GRANT_ID")
  String grantId;

  @Option(names = "--outcome", paramLabel = "OUTCOME", description = "allowed, denied or ok.")
  String outcome;

  @Option(
      names = "--action",
      paramLabel = "ACTION",
      description = "e.g. resolve, secret.rotate, grant.revoke, master_key.rewrap.")
  String action;

  @Option(names = "--from", paramLabel = "TIME", description = "RFC 3339, inclusive.")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "RFC 3339, exclusive.")
  String to;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Events per page (service default" + " 100).")
  Integer limit;

  @Option(
      names = "--cursor",
      paramLabel = "CURSOR",
      description = "Continue after a previous page (its next_cursor).")
  String cursor;

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
    query.put("cursor", cursor);
    ApiResponse response = session.api().get(path("audit"), query);
    Output out = session.out();
    if (out.json()) {
      out.raw(response);
      return;
    }
    Table table =
        new Table(
            "TIME",
            "ACTION",
            "OUTCOME",
            "COUNT",
            "ACTOR",
            "APP_ID",
            "SECRET_ID",
            "GRANT_ID",
            "DESTINATION",
            "REASON",
            "FINGERPRINT");
    response
        .json()
        .path("events")
        .forEach(
            e ->
                table.row(
                    text(e, "time"),
                    text(e, "action"),
                    text(e, "outcome"),
                    count(e),
                    text(e, "actor"),
                    text(e, "app_id"),
                    text(e, "secret_id"),
                    text(e, "grant_id"),
                    text(e, "destination_host"),
                    text(e, "reason"),
                    text(e, "fingerprint")));
    out.table(table);
    String next = text(response.json(), "next_cursor");
    if (next != null) {
      out.line("more events: repeat with --cursor " + next);
    }
  }

  /** How many identical denials the row stands for, with the last one's time when more than one. */
  private static String count(com.fasterxml.jackson.databind.JsonNode event) {
    int count = event.path("count").asInt(1);
    String last = text(event, "last_time");
    return count <= 1 ? "1" : count + (last == null ? "" : " (last " + last + ")");
  }
}
