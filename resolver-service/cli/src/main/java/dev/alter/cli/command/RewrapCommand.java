package dev.alter.cli.command;

import static dev.alter.cli.command.Nodes.text;
import static dev.alter.cli.http.AdminApiClient.path;

import dev.alter.cli.AdminCommand;
import dev.alter.cli.Session;
import dev.alter.cli.http.ApiResponse;
import dev.alter.cli.output.Output;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code alter rewrap}: re-wrap every data key under the active master key. */
@Command(
    name = "rewrap",
    description =
        "Re-wrap every credential version's data key under the"
            + " active master key (no plaintext is exposed). Afterwards a master key that wraps 0"
            + " versions can be retired.",
    footerHeading = "%nExample:%n",
    footer = {"  alter rewrap", "  alter master-keys list"})
public final class RewrapCommand extends AdminCommand {
  @Override
  protected void run(Session session) {
    ApiResponse response = session.api().post(path("master-keys", "rewrap"), Map.of());
    Output out = session.out();
    if (out.json()) {
      out.raw(response);
      return;
    }
    out.line(
        "rewrapped "
            + text(response.json(), "rewrapped")
            + " credential versions under "
            + text(response.json(), "active_key_id"));
    out.table(MasterKeysCommand.keyTable(response.json()));
  }
}
