package dev.alter.cli.command;

import static dev.alter.cli.command.Nodes.text;
import static dev.alter.cli.http.AdminApiClient.path;

import dev.alter.cli.AdminCommand;
import dev.alter.cli.Session;
import dev.alter.cli.http.ApiResponse;
import dev.alter.cli.output.Output;
import dev.alter.cli.output.Table;
import picocli.CommandLine.Command;

/** {@code alter providers list}: the provider catalog. */
@Command(name = "providers", description = "The provider catalog.",
    subcommands = ProvidersCommand.ListProviders.class)
public final class ProvidersCommand {

  @Command(name = "list", description = "List providers: injection, default destinations and the"
      + " extra credential parts each accepts (--part-file NAME=FILE).",
      footerHeading = "%nExamples:%n",
      footer = {"  alter providers list",
          "  alter providers list --json | jq '.providers[] | select(.id == \"datadog\")'"})
  static final class ListProviders extends AdminCommand {
    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().get(path("providers"));
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      Table table = new Table("PROVIDER", "INJECTION", "PARTS", "DEFAULT_DESTINATIONS");
      response.json().path("providers").forEach(p -> table.row(text(p, "id"),
          Nodes.injection(p.path("injection")), Nodes.joined(p, "parts"),
          Nodes.joined(p, "destinations")));
      out.table(table);
    }
  }
}
