package dev.alter.cli.command;

import static dev.alter.cli.command.Nodes.text;
import static dev.alter.cli.http.AdminApiClient.path;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.AdminCommand;
import dev.alter.cli.CliFailure;
import dev.alter.cli.Session;
import dev.alter.cli.http.ApiResponse;
import dev.alter.cli.http.Json;
import dev.alter.cli.output.Output;
import dev.alter.cli.output.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code alter idps …}: identity providers whose JWTs user and group grants accept. */
@Command(
    name = "idps",
    description = "Identity providers (idp_…) for user and group grants.",
    subcommands = {
      IdpsCommand.Create.class,
      IdpsCommand.ListIdps.class,
      IdpsCommand.Show.class,
      IdpsCommand.Update.class,
      IdpsCommand.Delete.class
    })
public final class IdpsCommand {

  /**
   * Where the IdP's public keys come from. Files are read here and their content is sent: the
   * service never reads a path of its own.
   */
  static final class KeySource {
    @Option(
        names = "--jwks-url",
        paramLabel = "URL",
        description = "The IdP's JWKS endpoint (https; plain http only for a loopback host).")
    String url;

    @Option(
        names = "--jwks-file",
        paramLabel = "FILE",
        description =
            "Air-gapped: a JWKS JSON file, or PEM public keys/certificates (told apart by content).")
    Path jwksFile;

    @Option(
        names = "--jwks-pem-file",
        paramLabel = "FILE",
        description = "Air-gapped: PEM PUBLIC KEY or CERTIFICATE blocks.")
    Path pemFile;

    void addTo(Map<String, Object> body) {
      if (url != null) {
        body.put("jwks_url", url);
      } else if (pemFile != null) {
        body.put("jwks_pem", read("--jwks-pem-file", pemFile));
      } else if (jwksFile != null) {
        String text = read("--jwks-file", jwksFile);
        body.put(text.contains("-----BEGIN") ? "jwks_pem" : "jwks", text);
      }
    }

    private static String read(String option, Path file) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw CliFailure.invalidInput(option + ": file not found: " + file, null);
      } catch (IOException e) {
        throw CliFailure.invalidInput(
            option + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")", null);
      }
    }
  }

  /** The settings create and update share; unset options are left out of the body. */
  static final class Settings {
    @Option(
        names = "--issuer",
        paramLabel = "ISSUER",
        description = "Compared with the token's iss exactly.")
    String issuer;

    @Option(
        names = "--audience",
        paramLabel = "AUD",
        description = "An accepted aud value (repeat for several).")
    List<String> audiences;

    @Option(
        names = "--algorithm",
        paramLabel = "ALG",
        description =
            "An allowed signing algorithm: RS256, PS256, ES256 or EdDSA (repeat for several).")
    List<String> algorithms;

    @Option(
        names = "--clock-skew",
        paramLabel = "SECONDS",
        description = "Leeway for exp/nbf/iat (0-300, default 60).")
    Integer clockSkewSeconds;

    @Option(
        names = "--user-claim",
        paramLabel = "CLAIM",
        description = "The claim user grants name (default sub).")
    String userClaim;

    @Option(
        names = "--group-claim",
        paramLabel = "PATH",
        description =
            "Where the groups are, e.g. groups, roles, realm_access.roles (default groups).")
    String groupClaim;

    void addTo(Map<String, Object> body) {
      putIfSet(body, "issuer", issuer);
      putIfSet(body, "audiences", audiences == null ? null : new ArrayList<>(audiences));
      putIfSet(body, "algorithms", algorithms == null ? null : new ArrayList<>(algorithms));
      putIfSet(body, "clock_skew_seconds", clockSkewSeconds);
      putIfSet(body, "user_claim", userClaim);
      putIfSet(body, "group_claim", groupClaim);
    }

    private static void putIfSet(Map<String, Object> body, String field, Object value) {
      if (value != null) {
        body.put(field, value);
      }
    }
  }

  @Command(
      name = "create",
      description = "Register an identity provider; prints its idp_… id.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  alter idps create --issuer https://sso.example.com/realms/corp \\",
        "      --jwks-url https://sso.example.com/realms/corp/protocol/openid-connect/certs \\",
        "      --audience orders-backend --algorithm RS256 --group-claim realm_access.roles",
        "  alter idps create --issuer https://sso.example.com --jwks-file idp-keys.pem \\",
        "      --audience orders-backend --algorithm ES256"
      })
  static final class Create extends AdminCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    KeySource keys;

    @ArgGroup(exclusive = false, multiplicity = "1")
    Settings settings;

    @Override
    protected void run(Session session) {
      Map<String, Object> body = new LinkedHashMap<>();
      settings.addTo(body);
      keys.addTo(body);
      ApiResponse response = session.api().post(path("idps"), body);
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      out.line(text(response.json(), "idp_id"));
    }
  }

  @Command(
      name = "list",
      description = "List identity providers.",
      footerHeading = "%nExample:%n",
      footer = "  alter idps list")
  static final class ListIdps extends AdminCommand {
    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().get(path("idps"));
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      Table table = new Table("IDP_ID", "ISSUER", "KEYS", "AUDIENCES", "ALGORITHMS");
      response
          .json()
          .path("idps")
          .forEach(
              idp ->
                  table.row(
                      text(idp, "idp_id"),
                      text(idp, "issuer"),
                      keySource(idp),
                      join(idp.path("audiences")),
                      join(idp.path("algorithms"))));
      out.table(table);
    }
  }

  @Command(
      name = "show",
      description = "Show one identity provider.",
      footerHeading = "%nExample:%n",
      footer = "  alter idps show idp_…")
  static final class Show extends AdminCommand {
    @Parameters(paramLabel = "IDP_ID")
    String idpId;

    @Override
    protected void run(Session session) {
      ApiResponse response = session.api().get(path("idps", idpId));
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      printIdp(out, response.json());
    }
  }

  @Command(
      name = "update",
      description = "Change an identity provider; applies at the next resolve.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  alter idps update idp_… --audience orders-backend --audience billing-backend",
        "  alter idps update idp_… --jwks-file new-keys.pem"
      })
  static final class Update extends AdminCommand {
    @Parameters(paramLabel = "IDP_ID")
    String idpId;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    KeySource keys;

    @ArgGroup(exclusive = false, multiplicity = "0..1")
    Settings settings;

    @Override
    protected void run(Session session) {
      Map<String, Object> body = new LinkedHashMap<>();
      if (settings != null) {
        settings.addTo(body);
      }
      if (keys != null) {
        keys.addTo(body);
      }
      if (body.isEmpty()) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "give at least one setting to change");
      }
      ApiResponse response = session.api().patch(path("idps", idpId), body);
      Output out = session.out();
      if (out.json()) {
        out.raw(response);
        return;
      }
      printIdp(out, response.json());
    }
  }

  @Command(
      name = "delete",
      description = "Delete an identity provider: its tokens stop verifying at once.",
      footerHeading = "%nExample:%n",
      footer = "  alter idps delete idp_…")
  static final class Delete extends AdminCommand {
    @Parameters(paramLabel = "IDP_ID")
    String idpId;

    @Override
    protected void run(Session session) {
      session.api().delete(path("idps", idpId));
      Output out = session.out();
      if (out.json()) {
        out.rawJson(
            Json.MAPPER.createObjectNode().put("idp_id", idpId).put("deleted", true).toString());
        return;
      }
      out.line("deleted " + idpId);
    }
  }

  private static void printIdp(Output out, JsonNode idp) {
    out.fields(
        new Output.Fields()
            .add("idp_id", text(idp, "idp_id"))
            .add("issuer", text(idp, "issuer"))
            .add("keys", keySource(idp))
            .add("audiences", join(idp.path("audiences")))
            .add("algorithms", join(idp.path("algorithms")))
            .add("clock_skew", idp.path("clock_skew_seconds").asText() + "s")
            .add("user_claim", text(idp, "user_claim"))
            .add("group_claim", text(idp, "group_claim"))
            .add("created_at", text(idp, "created_at"))
            .add("updated_at", text(idp, "updated_at")));
  }

  private static String keySource(JsonNode idp) {
    if (idp.path("jwks_url").isTextual()) {
      return idp.path("jwks_url").asText();
    }
    return idp.path("jwks_pem").isTextual() ? "fixed (PEM)" : "fixed (JWKS document)";
  }

  private static String join(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return String.join(",", values);
  }
}
