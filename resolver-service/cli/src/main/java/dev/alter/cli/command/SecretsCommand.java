package dev.alter.cli.command;

import static dev.alter.cli.command.Nodes.text;
import static dev.alter.cli.http.AdminApiClient.path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.AdminCommand;
import dev.alter.cli.CliFailure;
import dev.alter.cli.Session;
import dev.alter.cli.http.AdminApiClient;
import dev.alter.cli.http.ApiResponse;
import dev.alter.cli.http.Json;
import dev.alter.cli.input.CredentialReader;
import dev.alter.cli.input.CredentialReader.PartFile;
import dev.alter.cli.output.Output;
import dev.alter.cli.output.Table;
import dev.alter.contract.InjectionSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alter secrets …}: write-only managed secrets. */
@Command(
    name = "secrets",
    description =
        "Managed secrets: stored encrypted, write-only (metadata and a fingerprint are"
            + " all that is ever shown).",
    subcommands = {
      SecretsCommand.Store.class,
      SecretsCommand.Rotate.class,
      SecretsCommand.Show.class,
      SecretsCommand.ListSecrets.class,
      SecretsCommand.Delete.class,
      SecretsCommand.SetDestinations.class,
      SecretsCommand.Update.class
    })
public final class SecretsCommand {

  /** Options shared by store and update: how the credential goes into requests. */
  static final class InjectionOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
        names = "--header",
        paramLabel = "NAME=TEMPLATE",
        description =
            "Custom injection: header NAME with value TEMPLATE naming parts in braces,"
                + " e.g. 'Authorization=Bearer {credential}'. Repeatable.")
    List<String> headers = new ArrayList<>();

    @Option(
        names = "--basic-username",
        paramLabel = "USER",
        description =
            "HTTP Basic with USER and the credential as password (Twilio: the Account"
                + " SID; custom providers).")
    String basicUsername;

    @Option(
        names = "--query-param",
        paramLabel = "NAME",
        description = "Custom injection: the credential as query parameter NAME.")
    String queryParam;

    @Option(
        names = "--aws-region",
        paramLabel = "REGION",
        description = "AWS SigV4: sign for this region instead of the host's.")
    String awsRegion;

    @Option(
        names = "--aws-service",
        paramLabel = "SERVICE",
        description = "AWS SigV4: sign for this service instead of the host's.")
    String awsService;

    /** The injection override from the options; at most one style. */
    InjectionSpec injection() {
      int styles =
          (headers.isEmpty() ? 0 : 1)
              + (basicUsername == null ? 0 : 1)
              + (queryParam == null ? 0 : 1)
              + (awsRegion == null && awsService == null ? 0 : 1);
      if (styles > 1) {
        throw new ParameterException(
            mixee.commandLine(),
            "choose one injection style: --header,"
                + " --basic-username, --query-param or --aws-region/--aws-service");
      }
      if (!headers.isEmpty()) {
        List<InjectionSpec.HeaderTemplate> templates = new ArrayList<>();
        for (String header : headers) {
          int eq = header.indexOf('=');
          if (eq <= 0) {
            throw new ParameterException(
                mixee.commandLine(),
                "--header expects NAME=TEMPLATE, e.g. 'X-Api-Key={credential}'");
          }
          templates.add(
              new InjectionSpec.HeaderTemplate(
                  header.substring(0, eq).strip(), header.substring(eq + 1), false));
        }
        return InjectionSpec.headers(templates);
      }
      if (basicUsername != null) {
        return InjectionSpec.basic(basicUsername);
      }
      if (queryParam != null) {
        return InjectionSpec.query(queryParam);
      }
      if (awsRegion != null || awsService != null) {
        return InjectionSpec.awsSigV4(awsRegion, awsService);
      }
      return null;
    }
  }

  /** Options shared by store and rotate: where the credential values come from. */
  static final class CredentialOptions {
    @Option(
        names = "--credential-file",
        paramLabel = "FILE",
        description =
            "Read the credential from FILE. Without it: read stdin when piped, or"
                + " prompt without echo when stdin is a terminal. Trailing newlines are stripped.")
    Path credentialFile;

    @Option(
        names = "--part-file",
        paramLabel = "NAME=FILE",
        converter = PartFileConverter.class,
        description =
            "An extra credential part the provider declares (e.g. Datadog"
                + " application_key), read from FILE. Repeatable.")
    List<PartFile> partFiles = new ArrayList<>();

    @Option(
        names = "--setting",
        paramLabel = "NAME=VALUE",
        converter = SettingConverter.class,
        description =
            "A setting of a minted secret that is not secret ("
                + MintedSetting.NAMES
                + "), e.g. client_id=my-app. Repeatable. Secret parts (a client_secret) go"
                + " with --part-file.")
    List<MintedSetting> settings = new ArrayList<>();

    void addTo(Map<String, Object> body, Session session, String promptSubject) {
      CredentialReader reader = session.credentials();
      body.put("credential", reader.readCredential(credentialFile, promptSubject));
      Map<String, String> parts = new java.util.LinkedHashMap<>(reader.readParts(partFiles));
      for (MintedSetting setting : settings) {
        if (parts.putIfAbsent(setting.check().name(), setting.value()) != null) {
          throw CliFailure.invalidInput(
              setting.name() + " is given twice", "give each part once: --setting or --part-file");
        }
      }
      if (!parts.isEmpty()) {
        body.put("credential_parts", parts);
      }
    }
  }

  static final class SettingConverter implements ITypeConverter<MintedSetting> {
    @Override
    public MintedSetting convert(String value) {
      return MintedSetting.parse(value);
    }
  }

  static final class PartFileConverter implements ITypeConverter<PartFile> {
    @Override
    public PartFile convert(String value) {
      return PartFile.parse(value);
    }
  }

  @Command(
      name = "store",
      description = "Store a credential as a new managed secret of an app.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  printf '%%s' \"$DD_API_KEY\" | alter secrets store --app app_… \\",
        "      --provider datadog --label prod-monitoring \\",
        "      --part-file application_key=./dd-app-key",
        "  # prompts without echo when run in a terminal:",
        "  alter secrets store --app app_… --provider openai --label chat",
        "  alter secrets store --app app_… --provider custom --label internal \\",
        "      --header 'X-Api-Token={credential}' \\",
        "      --destination https://api.internal.example --credential-file ./token",
        "",
        "The credential is never accepted as an argument. 'alter providers list'",
        "shows the providers, their parts and default destinations."
      })
  static final class Store extends AdminCommand {
    @Option(names = "--app", required = true, paramLabel = "APP_ID")
    String appId;

    @Option(
        names = "--provider",
        required = true,
        paramLabel = "PROVIDER",
        description =
            "datadog, stripe, openai, anthropic, github, slack, sendgrid, twilio, aws,"
                + " custom (see 'alter providers list').")
    String provider;

    @Option(names = "--label", required = true, paramLabel = "LABEL")
    String label;

    @Option(
        names = "--destination",
        paramLabel = "DEST",
        description =
            "Allowed destination, https://host[:port] or https://*.domain; repeatable."
                + " Default: the provider's; required for custom.")
    List<String> destinations = new ArrayList<>();

    @Option(
        names = "--allow-plain-http",
        description = "Allow the http:// destinations given (e.g. a loopback test server).")
    boolean allowPlainHttp;

    @Option(
        names = "--ttl",
        paramLabel = "SECONDS",
        description = "Agent cache TTL, 5..3600 (service default 60).")
    Integer ttlSeconds;

    @Mixin InjectionOptions injectionOptions = new InjectionOptions();

    @Mixin CredentialOptions credential = new CredentialOptions();

    @Override
    protected void run(Session session) {
      InjectionSpec injection = injectionOptions.injection();
      AdminApiClient api = session.api();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("app_id", appId);
      body.put("provider", provider);
      body.put("label", label);
      credential.addTo(body, session, "Credential for " + provider + " secret '" + label + "'");
      if (injection != null) {
        body.put("injection", injection);
      }
      if (!destinations.isEmpty()) {
        body.put("destinations", destinations);
      }
      if (allowPlainHttp) {
        body.put("allow_plain_http", true);
      }
      if (ttlSeconds != null) {
        body.put("ttl_seconds", ttlSeconds);
      }
      ApiResponse response = api.post(path("secrets"), body);
      body.clear();
      printSecret(session.out(), response);
    }
  }

  @Command(
      name = "rotate",
      description =
          "Replace a secret's credential in place: new version,"
              + " same secret id; grants keep working and pick it up after the cache TTL.",
      footerHeading = "%nExample:%n",
      footer = "  printf '%%s' \"$NEW_DD_API_KEY\" | alter secrets rotate ms_…")
  static final class Rotate extends AdminCommand {
    @Parameters(paramLabel = "SECRET_ID")
    String secretId;

    @Mixin CredentialOptions credential = new CredentialOptions();

    @Override
    protected void run(Session session) {
      AdminApiClient api = session.api();
      Map<String, Object> body = new LinkedHashMap<>();
      credential.addTo(body, session, "New credential for " + secretId);
      ApiResponse response = api.put(path("secrets", secretId, "credential"), body);
      body.clear();
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      JsonNode secret = response.json();
      out.line(
          "rotated "
              + text(secret, "secret_id")
              + " to version "
              + text(secret, "version")
              + " (fingerprint "
              + text(secret, "fingerprint")
              + ")");
    }
  }

  @Command(
      name = "show",
      description = "Show a secret's metadata and fingerprint (never the" + " credential).",
      footerHeading = "%nExample:%n",
      footer = "  alter secrets show ms_…")
  static final class Show extends AdminCommand {
    @Parameters(paramLabel = "SECRET_ID")
    String secretId;

    @Override
    protected void run(Session session) {
      printSecret(session.out(), session.api().get(path("secrets", secretId)));
    }
  }

  @Command(
      name = "list",
      description = "List secrets (metadata only), optionally of one app.",
      footerHeading = "%nExamples:%n",
      footer = {"  alter secrets list --app app_…", "  alter secrets list --json"})
  static final class ListSecrets extends AdminCommand {
    @Option(names = "--app", paramLabel = "APP_ID")
    String appId;

    @Override
    protected void run(Session session) {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("app_id", appId);
      ApiResponse response = session.api().get(path("secrets"), query);
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      Table table =
          new Table(
              "SECRET_ID", "APP_ID", "PROVIDER", "LABEL", "VERSION", "FINGERPRINT", "UPDATED_AT");
      response
          .json()
          .path("secrets")
          .forEach(
              s ->
                  table.row(
                      text(s, "secret_id"),
                      text(s, "app_id"),
                      text(s, "provider"),
                      text(s, "label"),
                      text(s, "version"),
                      text(s, "fingerprint"),
                      text(s, "updated_at")));
      out.table(table);
    }
  }

  @Command(
      name = "delete",
      description =
          "Delete a secret and every version of its credential;"
              + " its grants then fail with grant_revoked.",
      footerHeading = "%nExample:%n",
      footer = "  alter secrets delete ms_…")
  static final class Delete extends AdminCommand {
    @Parameters(paramLabel = "SECRET_ID")
    String secretId;

    @Override
    protected void run(Session session) {
      session.api().delete(path("secrets", secretId));
      Output out = session.out();
      if (out.json()) {
        // 204 has no body: say what happened in the same shape as the API's ids
        out.rawJson("{\"secret_id\":" + quote(secretId) + ",\"deleted\":true}");
        return;
      }
      out.line("deleted " + secretId + "; its grants no longer resolve");
    }
  }

  @Command(
      name = "set-destinations",
      description = "Replace a secret's allowed destinations.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  alter secrets set-destinations ms_… https://api.datadoghq.eu",
        "  alter secrets set-destinations ms_… http://127.0.0.1:9000 --allow-plain-http"
      })
  static final class SetDestinations extends AdminCommand {
    @Parameters(paramLabel = "SECRET_ID", index = "0")
    String secretId;

    @Parameters(
        paramLabel = "DEST",
        index = "1..*",
        arity = "1..*",
        description = "https://host[:port] or https://*.domain (one label deep).")
    List<String> destinations;

    @Option(
        names = "--allow-plain-http",
        description = "Allow the http:// destinations given. Without it plain HTTP is turned off.")
    boolean allowPlainHttp;

    @Override
    protected void run(Session session) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("destinations", destinations);
      body.put("allow_plain_http", allowPlainHttp);
      printSecret(session.out(), session.api().patch(path("secrets", secretId), body));
    }
  }

  @Command(
      name = "update",
      description =
          "Change a secret's label, cache TTL or injection in place:"
              + " same secret id, grants keep working; agents apply it at their next resolve.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  alter secrets update ms_… --ttl 300",
        "  alter secrets update ms_… --aws-region eu-central-1 --aws-service s3",
        "  alter secrets update ms_… --header 'Authorization=Bearer {credential}'"
      })
  static final class Update extends AdminCommand {
    @Parameters(paramLabel = "SECRET_ID")
    String secretId;

    @Option(names = "--label", paramLabel = "LABEL")
    String label;

    @Option(names = "--ttl", paramLabel = "SECONDS", description = "Agent cache TTL, 5..3600.")
    Integer ttlSeconds;

    @Mixin InjectionOptions injectionOptions = new InjectionOptions();

    @Override
    protected void run(Session session) {
      InjectionSpec injection = injectionOptions.injection();
      if (label == null && ttlSeconds == null && injection == null) {
        throw new ParameterException(
            spec.commandLine(),
            "give --label, --ttl and/or an injection"
                + " (--header, --basic-username, --query-param, --aws-region/--aws-service)");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      if (injection != null) {
        body.put("injection", injection);
      }
      if (label != null) {
        body.put("label", label);
      }
      if (ttlSeconds != null) {
        body.put("ttl_seconds", ttlSeconds);
      }
      printSecret(session.out(), session.api().patch(path("secrets", secretId), body));
    }
  }

  static void printSecret(Output out, ApiResponse response) {
    if (out.json()) {
      out.raw(response);
      return;
    }
    JsonNode s = response.json();
    out.fields(
        new Output.Fields()
            .add("secret_id", text(s, "secret_id"))
            .add("app_id", text(s, "app_id"))
            .add("provider", text(s, "provider"))
            .add("label", text(s, "label"))
            .add("version", text(s, "version"))
            .add("fingerprint", text(s, "fingerprint"))
            .add("injection", Nodes.injection(s.path("injection")))
            .add("destinations", Nodes.joined(s, "destinations"))
            .add("allow_plain_http", text(s, "allow_plain_http"))
            .add("ttl_seconds", text(s, "ttl_seconds"))
            .add("created_at", text(s, "created_at"))
            .add("updated_at", text(s, "updated_at")));
    JsonNode flag = s.path("provider_rejection");
    if (flag.isObject()) {
      out.fields(
          new Output.Fields()
              .add(
                  "rejected_by_provider",
                  text(flag, "count")
                      + " responses 401/403, first "
                      + text(flag, "first_seen")
                      + ", last "
                      + text(flag, "last_seen")
                      + " (rotate the credential: alter secrets rotate "
                      + text(s, "secret_id")
                      + ")"));
    }
  }

  private static String quote(String value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode an id as JSON", e);
    }
  }
}
