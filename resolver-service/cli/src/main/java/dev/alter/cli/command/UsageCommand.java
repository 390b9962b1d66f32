package dev.alter.cli.command;

import static dev.alter.cli.command.Nodes.text;
import static dev.alter.cli.http.AdminApiClient.path;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.AdminCommand;
import dev.alter.cli.Session;
import dev.alter.cli.http.ApiResponse;
import dev.alter.cli.output.Output;
import dev.alter.cli.output.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alter usage}: requests per grant and the secrets the provider rejects. */
@Command(
    name = "usage",
    description =
        "Usage per grant as the agents report it (injected, refused, responses by status) and"
            + " secrets the provider rejected (401/403).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  alter usage --app app_…",
      "  alter usage --grant grt_… --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z"
    })
public final class UsageCommand extends AdminCommand {
  @Option(names = "--app", paramLabel = "APP_ID")
  String appId;

  @Option(names = "--secret", paramLabel = "SECRET_ID")
  String secretId;

  @Option(names = "--grant", paramLabel = "GRANT_ID")
  String grantId;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description = "RFC 3339, inclusive (default: 24 h before --to).")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "RFC 3339, exclusive (default: now).")
  String to;

  @Override
  protected void run(Session session) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("app_id", appId);
    query.put("secret_id", secretId);
    query.put("grant_id", grantId);
    query.put("from", from);
    query.put("to", to);
    ApiResponse response = session.api().get(path("usage"), query);
    Output out = session.out();
    if (out.json()) {
      out.raw(response);
      return;
    }
    JsonNode usage = response.json();
    Table table =
        new Table(
            "GRANT_ID",
            "IDENTITY",
            "INJECTED",
            "REFUSED",
            "2XX",
            "3XX",
            "4XX",
            "5XX",
            "401",
            "403",
            "429");
    for (JsonNode g : usage.path("grants")) {
      JsonNode s = g.path("responses");
      table.row(
          text(g, "grant_id"),
          text(g, "identity_digest"),
          text(g, "injected"),
          text(g, "refused"),
          text(s, "2xx"),
          text(s, "3xx"),
          text(s, "4xx"),
          text(s, "5xx"),
          text(g, "401"),
          text(g, "403"),
          text(g, "429"));
    }
    out.line("usage from " + text(usage, "from") + " to " + text(usage, "to"));
    out.table(table);
    for (JsonNode r : usage.path("provider_rejections")) {
      out.line(
          "REJECTED BY PROVIDER: secret "
              + text(r, "secret_id")
              + " got 401/403 "
              + text(r, "count")
              + " times (first "
              + text(r, "first_seen")
              + ", last "
              + text(r, "last_seen")
              + "): the credential may be revoked or expired at the provider; rotate it with"
              + " 'alter secrets rotate "
              + text(r, "secret_id")
              + "'");
    }
  }
}
