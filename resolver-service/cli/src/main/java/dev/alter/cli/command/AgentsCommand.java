package dev.alter.cli.command;

import static dev.alter.cli.command.Nodes.text;
import static dev.alter.cli.http.AdminApiClient.path;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.AdminCommand;
import dev.alter.cli.Session;
import dev.alter.cli.http.ApiResponse;
import dev.alter.cli.output.Output;
import dev.alter.cli.output.Table;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code alter agents …}: managed agents (workload identities) and their tokens. */
@Command(
    name = "agents",
    description = "Managed agents (agt_…) for agent grants, and their tokens.",
    subcommands = {
      AgentsCommand.Create.class,
      AgentsCommand.ListAgents.class,
      AgentsCommand.Show.class,
      AgentsCommand.RotateToken.class,
      AgentsCommand.Revoke.class
    })
public final class AgentsCommand {
  static final String TOKEN_SHOWN_ONCE =
      "the agent token is shown only now; the service keeps only its"
          + " hash. Give it to that process only (e.g. a 0600 file for ALTER_AGENT_TOKEN_FILE).";

  @Command(
      name = "create",
      description = "Register an agent and issue its first token.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  alter agents create nightly-export",
        "  alter agents create nightly-export --json | jq -r .token > agent.token"
      })
  static final class Create extends AdminCommand {
    @Parameters(paramLabel = "LABEL", description = "1-128 characters, no control characters.")
    String label;

    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().post(path("agents"), Map.of("label", label));
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
      } else {
        JsonNode agent = response.json();
        out.fields(
            new Output.Fields()
                .add("agent_id", text(agent, "agent_id"))
                .add("label", text(agent, "label"))
                .add("agent_token", text(agent, "token")));
      }
      out.warn(TOKEN_SHOWN_ONCE);
    }
  }

  @Command(
      name = "list",
      description = "List agents.",
      footerHeading = "%nExample:%n",
      footer = "  alter agents list")
  static final class ListAgents extends AdminCommand {
    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().get(path("agents"));
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      Table table = new Table("AGENT_ID", "LABEL", "STATUS", "CREATED_AT", "TOKEN_CREATED_AT");
      response
          .json()
          .path("agents")
          .forEach(
              a ->
                  table.row(
                      text(a, "agent_id"),
                      text(a, "label"),
                      status(a),
                      text(a, "created_at"),
                      text(a, "token_created_at")));
      out.table(table);
    }
  }

  @Command(
      name = "show",
      description = "Show one agent (never its token).",
      footerHeading = "%nExample:%n",
      footer = "  alter agents show agt_…")
  static final class Show extends AdminCommand {
    @Parameters(paramLabel = "AGENT_ID")
    String agentId;

    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().get(path("agents", agentId));
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      printAgent(out, response.json());
    }
  }

  @Command(
      name = "rotate-token",
      description = "Issue a new token; the previous one stops resolving at once.",
      footerHeading = "%nExample:%n",
      footer = "  alter agents rotate-token agt_… --json | jq -r .token > agent.token")
  static final class RotateToken extends AdminCommand {
    @Parameters(paramLabel = "AGENT_ID")
    String agentId;

    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().post(path("agents", agentId, "tokens"), Map.of());
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
      } else {
        out.fields(
            new Output.Fields()
                .add("agent_id", text(response.json(), "agent_id"))
                .add("agent_token", text(response.json(), "token")));
      }
      out.warn(TOKEN_SHOWN_ONCE);
    }
  }

  @Command(
      name = "revoke",
      description = "Revoke an agent and all its tokens; its grants stop resolving at once.",
      footerHeading = "%nExample:%n",
      footer = "  alter agents revoke agt_…")
  static final class Revoke extends AdminCommand {
    @Parameters(paramLabel = "AGENT_ID")
    String agentId;

    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().post(path("agents", agentId, "revoke"), Map.of());
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      out.line("revoked " + agentId + " at " + text(response.json(), "revoked_at"));
    }
  }

  private static String status(JsonNode agent) {
    return agent.path("revoked_at").isTextual() ? "revoked" : "active";
  }

  private static void printAgent(Output out, JsonNode a) {
    out.fields(
        new Output.Fields()
            .add("agent_id", text(a, "agent_id"))
            .add("label", text(a, "label"))
            .add("status", status(a))
            .add("created_at", text(a, "created_at"))
            .add("token_created_at", text(a, "token_created_at"))
            .add("revoked_at", text(a, "revoked_at")));
  }
}
