package dev.alter.cli.command;

import static dev.alter.cli.command.Nodes.text;
import static dev.alter.cli.http.AdminApiClient.path;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.AdminCommand;
import dev.alter.cli.Session;
import dev.alter.cli.http.ApiResponse;
import dev.alter.cli.output.Output;
import dev.alter.cli.output.Table;
import picocli.CommandLine.Command;

/** {@code alter master-keys list}. */
@Command(
    name = "master-keys",
    description = "Master keys (ids and usage only).",
    subcommands = MasterKeysCommand.ListKeys.class)
public final class MasterKeysCommand {

  @Command(
      name = "list",
      description =
          "List master keys, the active one, and how many"
              + " credential versions each wraps (0 = retirable).",
      footerHeading = "%nExample:%n",
      footer = {"  alter rewrap", "  alter master-keys list"})
  static final class ListKeys extends AdminCommand {
    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().get(path("master-keys"));
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      out.table(keyTable(response.json()));
    }
  }

  static Table keyTable(JsonNode answer) {
    String active = text(answer, "active_key_id");
    Table table = new Table("KEY_ID", "STATUS", "VERSIONS_WRAPPED");
    answer
        .path("keys")
        .forEach(
            k -> {
              String keyId = text(k, "key_id");
              long wrapped = k.path("versions_wrapped").asLong();
              String status =
                  keyId != null && keyId.equals(active)
                      ? "active"
                      : wrapped == 0 ? "retirable" : "in use";
              table.row(keyId, status, text(k, "versions_wrapped"));
            });
    return table;
  }
}
