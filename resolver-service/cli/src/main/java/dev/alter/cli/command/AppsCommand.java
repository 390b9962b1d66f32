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

/** {@code alter apps …}: apps and their API keys. */
@Command(
    name = "apps",
    description = "Apps and their API keys (alter_key_app_…).",
    subcommands = {
      AppsCommand.Create.class,
      AppsCommand.ListApps.class,
      AppsCommand.Show.class,
      AppsCommand.Connections.class,
      AppsCommand.Keys.class
    })
public final class AppsCommand {
  static final String KEY_SHOWN_ONCE =
      "the app key is shown only now; the service keeps only its"
          + " hash. Store it where only the app can read it (e.g. a 0600 file for ALTER_API_KEY_FILE).";

  @Command(
      name = "create",
      description = "Create an app and its first API key.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  alter apps create billing",
        "  alter apps create billing --json | jq -r .api_key.key > billing.key"
      })
  static final class Create extends AdminCommand {
    @Parameters(paramLabel = "NAME", description = "1-64 characters of [A-Za-z0-9._-], unique.")
    String name;

    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().post(path("apps"), Map.of("name", name));
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
      } else {
        JsonNode app = response.json();
        JsonNode key = app.path("api_key");
        out.fields(
            new Output.Fields()
                .add("app_id", text(app, "app_id"))
                .add("name", text(app, "name"))
                .add("key_id", text(key, "key_id"))
                .add("app_key", text(key, "key")));
      }
      out.warn(KEY_SHOWN_ONCE);
    }
  }

  @Command(
      name = "list",
      description = "List apps.",
      footerHeading = "%nExamples:%n",
      footer = {"  alter apps list", "  alter apps list --json | jq -r '.apps[].app_id'"})
  static final class ListApps extends AdminCommand {
    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().get(path("apps"));
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      Table table = new Table("APP_ID", "NAME", "CREATED_AT");
      response
          .json()
          .path("apps")
          .forEach(
              app -> table.row(text(app, "app_id"), text(app, "name"), text(app, "created_at")));
      out.table(table);
    }
  }

  @Command(
      name = "show",
      description = "Show one app.",
      footerHeading = "%nExample:%n",
      footer = "  alter apps show app_…")
  static final class Show extends AdminCommand {
    @Parameters(paramLabel = "APP_ID")
    String appId;

    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().get(path("apps", appId));
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      JsonNode app = response.json();
      out.fields(
          new Output.Fields()
              .add("app_id", text(app, "app_id"))
              .add("name", text(app, "name"))
              .add("created_at", text(app, "created_at")));
    }
  }

  @Command(
      name = "connections",
      description =
          "Agent processes subscribed to the change feed for this app, through any replica.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  alter apps connections app_…",
        "  alter apps connections app_… --json | jq -r '.connections[].replica'"
      })
  static final class Connections extends AdminCommand {
    @Parameters(paramLabel = "APP_ID")
    String appId;

    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().get(path("apps", appId, "connections"));
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      Table table =
          new Table("HOST", "PID", "AGENT_VERSION", "REPLICA", "CONNECTED_SINCE", "LAST_SEEN");
      response
          .json()
          .path("connections")
          .forEach(
              c ->
                  table.row(
                      text(c, "host_name"),
                      c.path("pid").asText(),
                      text(c, "agent_version"),
                      text(c, "replica"),
                      text(c, "connected_since"),
                      text(c, "last_seen")));
      out.table(table);
    }
  }

  @Command(
      name = "keys",
      description = "An app's API keys: create, list, revoke.",
      subcommands = {Keys.CreateKey.class, Keys.ListKeys.class, Keys.RevokeKey.class})
  static final class Keys {

    @Command(
        name = "create",
        description =
            "Create another API key for an app (e.g. to rotate"
                + " app keys without downtime: create, deploy, revoke the old one).",
        footerHeading = "%nExample:%n",
        footer = "  alter apps keys create app_…")
    static final class CreateKey extends AdminCommand {
      @Parameters(paramLabel = "APP_ID")
      String appId;

      @Override
      protected void run(Session session) {
        ApiResponse response = session.api().post(path("apps", appId, "keys"), Map.of());
        Output out = session.out();
        if (out.json()) {
          out.raw(response);
        } else {
          JsonNode key = response.json();
          out.fields(
              new Output.Fields()
                  .add("app_id", appId)
                  .add("key_id", text(key, "key_id"))
                  .add("app_key", text(key, "key")));
        }
        out.warn(KEY_SHOWN_ONCE);
      }
    }

    @Command(
        name = "list",
        description = "List an app's API keys (metadata only).",
        footerHeading = "%nExample:%n",
        footer = "  alter apps keys list app_…")
    static final class ListKeys extends AdminCommand {
      @Parameters(paramLabel = "APP_ID")
      String appId;

      @Override
      protected void run(Session session) {
        ApiResponse response = session.api().get(path("apps", appId, "keys"));
        Output out = session.out();
        if (out.json()) {
          out.raw(response);
          return;
        }
        Table table = new Table("KEY_ID", "STATUS", "CREATED_AT", "LAST_USED_AT", "REVOKED_AT");
        response
            .json()
            .path("keys")
            .forEach(
                key ->
                    table.row(
                        text(key, "key_id"),
                        text(key, "revoked_at") == null ? "active" : "revoked",
                        text(key, "created_at"),
                        text(key, "last_used_at"),
                        text(key, "revoked_at")));
        out.table(table);
      }
    }

    @Command(
        name = "revoke",
        description = "Revoke one API key of an app; it stops working at" + " once.",
        footerHeading = "%nExample:%n",
        footer = "  alter apps keys revoke app_… key_…")
    static final class RevokeKey extends AdminCommand {
      @Parameters(index = "0", paramLabel = "APP_ID")
      String appId;

      @Parameters(index = "1", paramLabel = "KEY_ID")
      String keyId;

      @Override
      protected void run(Session session) {
        ApiResponse response = session.api().delete(path("apps", appId, "keys", keyId));
        Output out = session.out();
        if (out.json()) {
          out.raw(response);
          return;
        }
        out.line(
            "revoked key "
                + keyId
                + " of app "
                + appId
                + " at "
                + text(response.json(), "revoked_at"));
      }
    }
  }
}
