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
import picocli.CommandLine.Parameters;

/** {@code alter webhooks …}: receivers of the signed audit stream. */
@Command(
    name = "webhooks",
    description = "Webhook receivers: every audit event, signed, in order (API.md, Webhooks).",
    subcommands = {
      WebhooksCommand.Create.class,
      WebhooksCommand.ListReceivers.class,
      WebhooksCommand.Show.class,
      WebhooksCommand.Replay.class,
      WebhooksCommand.Delete.class
    })
public final class WebhooksCommand {

  @Command(
      name = "create",
      description = "Register a receiver; prints its signing secret once.",
      footerHeading = "%nExamples:%n",
      footer = {"  alter webhooks create https://siem.example.com/alter"})
  static final class Create extends AdminCommand {
    @Parameters(paramLabel = "URL", description = "Where to POST events (https).")
    String url;

    @Option(names = "--description", paramLabel = "TEXT")
    String description;

    @Option(
        names = "--allow-plain-http",
        description = "Accept an http:// URL (audit events then travel unencrypted).")
    boolean allowPlainHttp;

    @Option(
        names = "--after",
        paramLabel = "CURSOR",
        description = "Deliver the events after this export cursor (default: from now on).")
    String after;

    @Override
    protected void run(Session session) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("url", url);
      body.put("description", description);
      if (allowPlainHttp) {
        body.put("allow_plain_http", true);
      }
      body.put("after", after);
      ApiResponse response = session.api().post(path("webhooks"), body);
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      print(out, response.json().path("receiver"));
      out.line("");
      out.line("Signing secret (shown once, store it with the receiver now):");
      out.line(text(response.json(), "signing_secret"));
    }
  }

  @Command(name = "list", description = "List receivers and their delivery state.")
  static final class ListReceivers extends AdminCommand {
    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().get(path("webhooks"));
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      Table table =
          new Table("RECEIVER_ID", "STATUS", "URL", "DELIVERED_CURSOR", "BACKLOG", "LAST_ERROR");
      for (JsonNode r : response.json().path("receivers")) {
        table.row(
            text(r, "receiver_id"),
            text(r, "status"),
            text(r, "url"),
            text(r, "delivered_cursor"),
            text(r, "backlog"),
            text(r, "last_error"));
      }
      out.table(table);
    }
  }

  @Command(name = "show", description = "Show one receiver.")
  static final class Show extends AdminCommand {
    @Parameters(paramLabel = "RECEIVER_ID")
    String receiverId;

    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().get(path("webhooks", receiverId));
      if (session.out().json()) {
        session.out().raw(response);
        return;
      }
      print(session.out(), response.json());
    }
  }

  @Command(
      name = "replay",
      description =
          "Deliver again from a cursor (default: the last acknowledged event); a failing receiver"
              + " becomes active.")
  static final class Replay extends AdminCommand {
    @Parameters(paramLabel = "RECEIVER_ID")
    String receiverId;

    @Option(names = "--after", paramLabel = "CURSOR")
    String after;

    @Override
    protected void run(Session session) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("after", after);
      ApiResponse response = session.api().post(path("webhooks", receiverId, "replay"), body);
      if (session.out().json()) {
        session.out().raw(response);
        return;
      }
      print(session.out(), response.json());
    }
  }

  @Command(name = "delete", description = "Stop delivering to a receiver and forget it.")
  static final class Delete extends AdminCommand {
    @Parameters(paramLabel = "RECEIVER_ID")
    String receiverId;

    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().delete(path("webhooks", receiverId));
      if (session.out().json()) {
        session.out().raw(response);
        return;
      }
      session.out().line("deleted " + receiverId);
    }
  }

  static void print(Output out, JsonNode r) {
    out.fields(
        new Output.Fields()
            .add("receiver_id", text(r, "receiver_id"))
            .add("url", text(r, "url"))
            .add("description", text(r, "description"))
            .add("status", text(r, "status"))
            .add("delivered_cursor", text(r, "delivered_cursor"))
            .add("backlog", text(r, "backlog"))
            .add("failed_attempts", text(r, "failed_attempts"))
            .add("failing_since", text(r, "failing_since"))
            .add("next_attempt_at", text(r, "next_attempt_at"))
            .add("last_error", text(r, "last_error"))
            .add("last_delivered_at", text(r, "last_delivered_at"))
            .add("created_at", text(r, "created_at")));
  }
}
