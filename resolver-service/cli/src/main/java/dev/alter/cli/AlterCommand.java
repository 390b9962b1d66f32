package dev.alter.cli;

import dev.alter.cli.command.AgentsCommand;
import dev.alter.cli.command.AppsCommand;
import dev.alter.cli.command.AuditCommand;
import dev.alter.cli.command.GrantsCommand;
import dev.alter.cli.command.IdpsCommand;
import dev.alter.cli.command.MasterKeysCommand;
import dev.alter.cli.command.ProvidersCommand;
import dev.alter.cli.command.RewrapCommand;
import dev.alter.cli.command.SecretsCommand;
import dev.alter.cli.command.UsageCommand;
import dev.alter.cli.command.UserSecretsCommand;
import dev.alter.cli.command.WebhooksCommand;
import dev.alter.cli.http.ServiceEndpoint;
import dev.alter.cli.output.Output;
import dev.alter.cli.output.Redactor;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: global options (inherited by every subcommand) and the command groups. */
@Command(
    name = "alter",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = CliVersion.class,
    usageHelpAutoWidth = true,
    sortOptions = false,
    description = {
      "Operator CLI of the Alter resolver service: apps and app keys, write-only managed"
          + " secrets, grants, audit, master keys.",
      "Credentials are read only from stdin, a file or a hidden prompt, never from arguments."
    },
    subcommands = {
      AppsCommand.class,
      SecretsCommand.class,
      GrantsCommand.class,
      IdpsCommand.class,
      AgentsCommand.class,
      AuditCommand.class,
      WebhooksCommand.class,
      UsageCommand.class,
      RewrapCommand.class,
      MasterKeysCommand.class,
      ProvidersCommand.class,
      UserSecretsCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  ok",
      "  2  usage error (unknown option, missing argument)",
      "  3  rejected input: validation_failed, not_found, conflict, empty credential",
      "  4  authentication/authorization: no, unknown or revoked admin key (401/403)",
      "  5  service unreachable, timed out or 5xx",
      "",
      "Environment: ALTER_URL, ALTER_ADMIN_KEY_FILE, ALTER_ADMIN_KEY.",
      "",
      "Example:",
      "  export ALTER_ADMIN_KEY_FILE=~/.alter/admin-key",
      "  alter apps create billing",
      "  printf '%%s' \"$DD_API_KEY\" | alter secrets store --app app_… \\",
      "      --provider datadog --label prod-monitoring",
      "  alter grants create --secret ms_… --label prod-monitoring --system"
    })
public final class AlterCommand {
  public static final String URL_ENV = "ALTER_URL";

  @Option(
      names = "--url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description =
          "Resolver service base URL (env ALTER_URL; default " + ServiceEndpoint.DEFAULT_URL + ").")
  String url;

  @Option(
      names = "--admin-key-file",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "File holding the admin key (else env ALTER_ADMIN_KEY_FILE, else env"
              + " ALTER_ADMIN_KEY). Never passed as a value.")
  Path adminKeyFile;

  @Option(
      names = "--ca-file",
      scope = ScopeType.INHERIT,
      paramLabel = "PEM",
      description = "Trust this CA (PEM) for an https:// service with a private CA.")
  Path caFile;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print the API's JSON instead of text (machine-readable).")
  boolean json;

  private final CliContext context;
  private final Redactor redactor = new Redactor();

  public AlterCommand(CliContext context) {
    this.context = context;
  }

  Redactor redactor() {
    return redactor;
  }

  Session openSession() {
    String effectiveUrl =
        url != null
            ? url
            : context.env(URL_ENV) != null ? context.env(URL_ENV) : ServiceEndpoint.DEFAULT_URL;
    ServiceEndpoint endpoint;
    try {
      endpoint = ServiceEndpoint.of(effectiveUrl, caFile);
    } catch (IllegalArgumentException e) {
      throw new CliFailure("usage", ExitCodes.USAGE, e.getMessage(), "see 'alter --help'");
    }
    Output output = new Output(context.out(), context.err(), json, redactor);
    return new Session(context, endpoint, adminKeyFile, output, redactor);
  }
}
