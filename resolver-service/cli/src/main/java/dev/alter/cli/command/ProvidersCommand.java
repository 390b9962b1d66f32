package dev.alter.cli.command;

import static dev.alter.cli.command.Nodes.text;
import static dev.alter.cli.http.AdminApiClient.path;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.AdminCommand;
import dev.alter.cli.Session;
import dev.alter.cli.http.ApiResponse;
import dev.alter.cli.output.Output;
import dev.alter.cli.output.Table;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code alter providers list}: the provider catalog. */
@Command(
    name = "providers",
    description = "The provider catalog.",
    subcommands = ProvidersCommand.ListProviders.class)
public final class ProvidersCommand {

  @Command(
      name = "list",
      description =
          "List providers: injection, default destinations and the"
              + " extra credential parts each accepts (--part-file NAME=FILE).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  alter providers list",
        "  alter providers list --json | jq '.providers[] | select(.id == \"datadog\")'"
      })
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
      response
          .json()
          .path("providers")
          .forEach(
              p ->
                  table.row(
                      text(p, "id"),
                      Nodes.injection(p.path("injection")),
                      parts(p),
                      Nodes.joined(p, "destinations")));
      out.table(table);
    }

    /** {@code secret_access_key (required), session_token}. */
    private static String parts(JsonNode provider) {
      Set<String> required = new HashSet<>();
      provider.path("required_parts").forEach(part -> required.add(part.asText()));
      List<String> parts = new ArrayList<>();
      provider
          .path("parts")
          .forEach(
              part ->
                  parts.add(
                      part.asText() + (required.contains(part.asText()) ? " (required)" : "")));
      return String.join(", ", parts);
    }
  }
}
