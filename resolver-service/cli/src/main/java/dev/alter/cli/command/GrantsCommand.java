package dev.alter.cli.command;

import static dev.alter.cli.command.Nodes.text;
import static dev.alter.cli.http.AdminApiClient.path;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.AdminCommand;
import dev.alter.cli.Session;
import dev.alter.cli.http.ApiResponse;
import dev.alter.cli.output.Output;
import dev.alter.cli.output.Table;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code alter grants …}: who may use a secret. */
@Command(
    name = "grants",
    description = "Grants: a secret plus the principal allowed to use it.",
    subcommands = {
      GrantsCommand.Create.class,
      GrantsCommand.ListGrants.class,
      GrantsCommand.Show.class,
      GrantsCommand.SetPolicy.class,
      GrantsCommand.Revoke.class
    })
public final class GrantsCommand {

  /** Exactly one principal kind. */
  static final class PrincipalOptions {
    @Option(
        names = "--system",
        arity = "0..1",
        fallbackValue = "",
        paramLabel = "LABEL",
        description =
            "A system principal (no identity needed); its label defaults to the"
                + " grant's --label.")
    String system;

    @Option(names = "--user", paramLabel = "USER_ID", description = "An end user (needs --idp).")
    String userId;

    @Option(
        names = "--group",
        paramLabel = "GROUP_ID",
        description = "Members of an external group (needs --idp).")
    String groupId;

    @Option(names = "--agent", paramLabel = "AGENT_ID", description = "A managed agent.")
    String agentId;
  }

  @Command(
      name = "create",
      description =
          "Grant a principal the use of a secret; prints the"
              + " grant id the app sends as 'alter-grant'.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  alter grants create --secret ms_… --label prod-monitoring --system",
        "  alter grants create --secret ms_… --label alice-openai \\",
        "      --user alice --idp idp_… --expires-at 2027-01-01T00:00:00Z",
        "  alter grants create --secret ms_… --label bot-github --agent agt_… \\",
        "      --policy '{\"requests\": [\"GET /repos/*/*\"]}'"
      })
  static final class Create extends AdminCommand {
    @Option(names = "--secret", required = true, paramLabel = "SECRET_ID")
    String secretId;

    @Option(names = "--label", required = true, paramLabel = "LABEL")
    String label;

    @ArgGroup(exclusive = true, multiplicity = "1")
    PrincipalOptions principal;

    @Option(
        names = "--idp",
        paramLabel = "IDP_ID",
        description = "Identity provider of --user or --group.")
    String idpId;

    @Option(
        names = "--expires-at",
        paramLabel = "TIME",
        converter = Rfc3339.class,
        description = "RFC 3339 time after which the grant stops resolving.")
    Instant expiresAt;

    @Option(
        names = "--policy",
        paramLabel = "JSON|@FILE",
        description =
            "The grant's policy (time windows, networks, rate limits, request rules) as a JSON"
                + " object, or @file holding one; see API.md, 'Grant policies'.")
    String policy;

    @Override
    protected void run(Session session) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("secret_id", secretId);
      body.put("label", label);
      body.put("principal", principalBody());
      if (expiresAt != null) {
        body.put("expires_at", expiresAt.toString());
      }
      if (policy != null) {
        body.put("policy", PolicyText.read(spec.commandLine(), "--policy", policy));
      }
      ApiResponse response = session.api().post(path("grants"), body);
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      printGrant(out, response.json());
    }

    private Map<String, String> principalBody() {
      boolean needsIdp = principal.userId != null || principal.groupId != null;
      if (needsIdp && idpId == null) {
        throw new ParameterException(spec.commandLine(), "--user and --group need --idp IDP_ID");
      }
      if (!needsIdp && idpId != null) {
        throw new ParameterException(spec.commandLine(), "--idp goes with --user or --group only");
      }
      Map<String, String> body = new LinkedHashMap<>();
      if (principal.system != null) {
        body.put("type", "system");
        body.put("label", principal.system.isEmpty() ? label : principal.system);
      } else if (principal.userId != null) {
        body.put("type", "user");
        body.put("user_id", principal.userId);
        body.put("idp_id", idpId);
      } else if (principal.groupId != null) {
        body.put("type", "group");
        body.put("external_group_id", principal.groupId);
        body.put("idp_id", idpId);
      } else {
        body.put("type", "agent");
        body.put("agent_id", principal.agentId);
      }
      return body;
    }
  }

  /** Accepts RFC 3339 with any offset; the API gets it in UTC. */
  static final class Rfc3339 implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "expected an RFC 3339 time such as 2027-01-01T00:00:00Z, got '" + value + "'");
      }
    }
  }

  @Command(
      name = "list",
      description = "List the grants of a secret or of an app.",
      footerHeading = "%nExamples:%n",
      footer = {"  alter grants list --secret ms_…", "  alter grants list --app app_… --json"})
  static final class ListGrants extends AdminCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Scope scope;

    static final class Scope {
      @Option(names = "--secret", paramLabel = "SECRET_ID")
      String secretId;

      @Option(names = "--app", paramLabel = "APP_ID")
      String appId;
    }

    @Override
    protected void run(Session session) {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("secret_id", scope.secretId);
      query.put("app_id", scope.appId);
      ApiResponse response = session.api().get(path("grants"), query);
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      Instant now = Instant.now();
      Table table =
          new Table(
              "GRANT_ID",
              "SECRET_ID",
              "LABEL",
              "PRINCIPAL",
              "STATUS",
              "CREATED_AT",
              "EXPIRES_AT",
              "POLICY");
      response
          .json()
          .path("grants")
          .forEach(
              g ->
                  table.row(
                      text(g, "grant_id"),
                      text(g, "secret_id"),
                      text(g, "label"),
                      Nodes.principal(g.path("principal")),
                      Nodes.grantStatus(g, now),
                      text(g, "created_at"),
                      text(g, "expires_at"),
                      policyRules(g.path("policy"))));
      out.table(table);
    }
  }

  @Command(
      name = "show",
      description = "Show one grant.",
      footerHeading = "%nExample:%n",
      footer = "  alter grants show grt_…")
  static final class Show extends AdminCommand {
    @Parameters(paramLabel = "GRANT_ID")
    String grantId;

    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().get(path("grants", grantId));
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      printGrant(out, response.json());
    }
  }

  @Command(
      name = "set-policy",
      description =
          "Replace a grant's policy in place (the grant id stays); '{}' or --clear removes it."
              + " Running agents apply it when their cached answer ends.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  alter grants set-policy grt_… --policy @support-hours.json",
        "  alter grants set-policy grt_… --policy '{\"rate_limits\": [{\"requests\": 60, \"per_seconds\": 60}]}'",
        "  alter grants set-policy grt_… --clear"
      })
  static final class SetPolicy extends AdminCommand {
    @Parameters(paramLabel = "GRANT_ID")
    String grantId;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
      @Option(names = "--policy", paramLabel = "JSON|@FILE", description = "The new policy.")
      String policy;

      @Option(names = "--clear", description = "Remove the policy.")
      boolean clear;
    }

    @Override
    protected void run(Session session) {
      Object body =
          source.clear ? Map.of() : PolicyText.read(spec.commandLine(), "--policy", source.policy);
      ApiResponse response = session.api().put(path("grants", grantId, "policy"), body);
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      printGrant(out, response.json());
    }
  }

  @Command(
      name = "revoke",
      description =
          "Revoke a grant: resolving it fails with grant_revoked"
              + " (agents stop injecting after their cache TTL).",
      footerHeading = "%nExample:%n",
      footer = "  alter grants revoke grt_…")
  static final class Revoke extends AdminCommand {
    @Parameters(paramLabel = "GRANT_ID")
    String grantId;

    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().post(path("grants", grantId, "revoke"), Map.of());
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      out.line("revoked " + grantId + " at " + text(response.json(), "revoked_at"));
    }
  }

  /** The rules a grant's policy sets, by name ({@code windows,requests}); null for none. */
  static String policyRules(JsonNode policy) {
    if (!policy.isObject() || policy.isEmpty()) {
      return null;
    }
    java.util.List<String> names = new java.util.ArrayList<>();
    policy.fieldNames().forEachRemaining(names::add);
    return String.join(",", names);
  }

  private static void printGrant(Output out, JsonNode g) {
    out.fields(
        new Output.Fields()
            .add("grant_id", text(g, "grant_id"))
            .add("secret_id", text(g, "secret_id"))
            .add("app_id", text(g, "app_id"))
            .add("label", text(g, "label"))
            .add("principal", Nodes.principal(g.path("principal")))
            .add("status", Nodes.grantStatus(g, Instant.now()))
            .add("created_at", text(g, "created_at"))
            .add("expires_at", text(g, "expires_at"))
            .add("revoked_at", text(g, "revoked_at"))
            .add("policy", g.hasNonNull("policy") ? g.get("policy").toString() : null));
  }
}
