package dev.alter.cli.command;

import static dev.alter.cli.command.Nodes.text;
import static dev.alter.cli.http.AdminApiClient.path;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.AdminCommand;
import dev.alter.cli.Session;
import dev.alter.cli.http.ApiResponse;
import dev.alter.cli.output.Output;
import dev.alter.cli.output.Table;
import dev.alter.contract.InjectionSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code alter user-secrets …}: which providers an app's users may connect their own keys for,
 * where those keys may go, and whose users may upload.
 */
@Command(
    name = "user-secrets",
    description = "Let an app's users upload their own keys (per provider).",
    subcommands = {
      UserSecretsCommand.Allow.class,
      UserSecretsCommand.ListAllowances.class,
      UserSecretsCommand.Show.class,
      UserSecretsCommand.Disallow.class
    })
public final class UserSecretsCommand {
  private static final String ALLOWANCES = "user-secret-allowances";

  @Command(
      name = "allow",
      description =
          "Allow (or change what is allowed to) the app's users to upload keys for a provider."
              + " Destinations default to the provider's catalog destinations and may only narrow"
              + " them; injection defaults to the catalog's and may only keep a subset of its"
              + " headers (the one carrying {credential} stays). Users can never choose"
              + " destinations, injection or plain HTTP.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  alter user-secrets allow --app app_… --provider datadog --idp idp_…",
        "  alter user-secrets allow --app app_… --provider datadog --idp idp_… \\",
        "      --destination https://api.datadoghq.eu --max-per-user 2",
        "  alter user-secrets allow --app app_… --provider datadog --idp idp_… \\",
        "      --header 'DD-API-KEY={credential}'"
      })
  static final class Allow extends AdminCommand {
    @Option(names = "--app", required = true, paramLabel = "APP_ID")
    String appId;

    @Option(names = "--provider", required = true, paramLabel = "PROVIDER")
    String provider;

    @Option(
        names = "--idp",
        required = true,
        paramLabel = "IDP_ID",
        description = "An identity provider whose users may upload (repeat for several).")
    List<String> idpIds = new ArrayList<>();

    @Option(
        names = "--destination",
        paramLabel = "URL",
        description =
            "Where uploaded keys may go (repeat); default the catalog's. Only https hosts of the"
                + " catalog entry.")
    List<String> destinations;

    @Option(
        names = "--max-per-user",
        paramLabel = "N",
        description = "Keys one user may keep for this provider (1-100, default 1).")
    Integer maxPerUser;

    /** Narrower injection than the catalog's; the service refuses anything wider. */
    @Mixin SecretsCommand.InjectionOptions injectionOptions = new SecretsCommand.InjectionOptions();

    @Override
    protected void run(Session session) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("idp_ids", idpIds);
      if (destinations != null && !destinations.isEmpty()) {
        body.put("destinations", destinations);
      }
      InjectionSpec injection = injectionOptions.injection();
      if (injection != null) {
        body.put("injection", injection);
      }
      if (maxPerUser != null) {
        body.put("max_per_user", maxPerUser);
      }
      ApiResponse response = session.api().put(path("apps", appId, ALLOWANCES, provider), body);
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      printAllowance(out, response.json());
    }
  }

  @Command(
      name = "list",
      description = "List the providers an app's users may upload keys for.",
      footerHeading = "%nExample:%n",
      footer = "  alter user-secrets list --app app_…")
  static final class ListAllowances extends AdminCommand {
    @Option(names = "--app", required = true, paramLabel = "APP_ID")
    String appId;

    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().get(path("apps", appId, ALLOWANCES));
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      Table table = new Table("PROVIDER", "IDPS", "MAX_PER_USER", "STORED_KEYS", "DESTINATIONS");
      response
          .json()
          .path("allowances")
          .forEach(
              a ->
                  table.row(
                      text(a, "provider"),
                      joined(a.path("idp_ids")),
                      text(a, "max_per_user"),
                      text(a, "stored_keys"),
                      joined(a.path("destinations"))));
      out.table(table);
    }
  }

  @Command(
      name = "show",
      description = "Show what an app's users may upload for one provider.",
      footerHeading = "%nExample:%n",
      footer = "  alter user-secrets show --app app_… --provider datadog")
  static final class Show extends AdminCommand {
    @Option(names = "--app", required = true, paramLabel = "APP_ID")
    String appId;

    @Option(names = "--provider", required = true, paramLabel = "PROVIDER")
    String provider;

    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().get(path("apps", appId, ALLOWANCES, provider));
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      printAllowance(out, response.json());
    }
  }

  @Command(
      name = "disallow",
      description =
          "Stop the app's users uploading keys for a provider; the keys they uploaded are deleted"
              + " and their grants revoked.",
      footerHeading = "%nExample:%n",
      footer = "  alter user-secrets disallow --app app_… --provider datadog")
  static final class Disallow extends AdminCommand {
    @Option(names = "--app", required = true, paramLabel = "APP_ID")
    String appId;

    @Option(names = "--provider", required = true, paramLabel = "PROVIDER")
    String provider;

    @Override
    protected void run(Session session) {
      session.api().delete(path("apps", appId, ALLOWANCES, provider));
      session.out().line("users of " + appId + " may no longer upload keys for " + provider);
    }
  }

  private static void printAllowance(Output out, JsonNode a) {
    out.fields(
        new Output.Fields()
            .add("app_id", text(a, "app_id"))
            .add("provider", text(a, "provider"))
            .add("idp_ids", joined(a.path("idp_ids")))
            .add("destinations", joined(a.path("destinations")))
            .add("injection", Nodes.injection(a.path("injection")))
            .add("max_per_user", text(a, "max_per_user"))
            .add("stored_keys", text(a, "stored_keys"))
            .add("updated_at", text(a, "updated_at")));
  }

  private static String joined(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return String.join(" ", values);
  }
}
