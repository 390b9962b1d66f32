package dev.alter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.CliRun.Result;
import dev.alter.cli.ExitCodes;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code alter user-secrets …}: what an app's users may upload, against a real embedded service.
 */
class UserSecretsCommandTest {
  @RegisterExtension static final EmbeddedResolver resolver = EmbeddedResolver.perTestClass();

  private static String registerIdp() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(generator.generateKeyPair().getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    java.nio.file.Path file = java.nio.file.Files.createTempFile("idp", ".pem");
    file.toFile().deleteOnExit();
    java.nio.file.Files.writeString(file, pem);
    Result created =
        resolver
            .alter()
            .run(
                "idps",
                "create",
                "--issuer",
                "https://sso.example.com/realms/users",
                "--jwks-file",
                file.toString(),
                "--audience",
                "orders-backend",
                "--algorithm",
                "RS256");
    assertThat(created.exitCode()).as("%s", created).isZero();
    return created.stdout().strip();
  }

  @Test
  void anOperatorAllowsNarrowsListsAndDisallowsUploads() throws Exception {
    String idpId = registerIdp();
    String appId = resolver.json("apps", "create", "uploads").path("app_id").asText();

    Result allowed =
        resolver
            .alter()
            .run("user-secrets", "allow", "--app", appId, "--provider", "datadog", "--idp", idpId);
    assertThat(allowed.exitCode()).as("%s", allowed).isZero();
    assertThat(allowed.stdout())
        .contains("datadog")
        .contains(idpId)
        .contains("https://api.datadoghq.com")
        .contains("max_per_user");

    JsonNode narrowed =
        resolver.json(
            "user-secrets",
            "allow",
            "--app",
            appId,
            "--provider",
            "datadog",
            "--idp",
            idpId,
            "--destination",
            "https://api.datadoghq.eu",
            "--max-per-user",
            "2");
    assertThat(narrowed.path("destinations").toString())
        .isEqualTo("[\"https://api.datadoghq.eu\"]");
    assertThat(narrowed.path("max_per_user").asInt()).isEqualTo(2);

    Result wider =
        resolver
            .alter()
            .run(
                "user-secrets",
                "allow",
                "--app",
                appId,
                "--provider",
                "datadog",
                "--idp",
                idpId,
                "--destination",
                "https://collector.example.com");
    assertThat(wider.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(wider.stderr()).contains("validation_failed").contains("wider");

    JsonNode oneHeader =
        resolver.json(
            "user-secrets",
            "allow",
            "--app",
            appId,
            "--provider",
            "datadog",
            "--idp",
            idpId,
            "--destination",
            "https://api.datadoghq.eu",
            "--max-per-user",
            "2",
            "--header",
            "DD-API-KEY={credential}");
    assertThat(oneHeader.path("injection").path("headers").size()).isEqualTo(1);
    assertThat(oneHeader.path("injection").path("headers").get(0).path("name").asText())
        .isEqualTo("DD-API-KEY");
    assertThat(
            resolver
                .alter()
                .run("user-secrets", "show", "--app", appId, "--provider", "datadog")
                .stdout())
        .contains("header DD-API-KEY: {credential}")
        .doesNotContain("DD-APPLICATION-KEY");

    for (String[] widerInjection :
        new String[][] {
          {"--header", "X-Forward={credential}"},
          {"--header", "DD-APPLICATION-KEY={application_key}"},
          {"--query-param", "api_key"}
        }) {
      Result refused =
          resolver
              .alter()
              .run(
                  "user-secrets",
                  "allow",
                  "--app",
                  appId,
                  "--provider",
                  "datadog",
                  "--idp",
                  idpId,
                  widerInjection[0],
                  widerInjection[1]);
      assertThat(refused.exitCode()).as("%s", refused).isEqualTo(ExitCodes.INVALID_INPUT);
      assertThat(refused.stderr()).contains("validation_failed").contains("injection");
    }
    JsonNode unchanged =
        resolver.json("user-secrets", "show", "--app", appId, "--provider", "datadog");
    assertThat(unchanged.path("injection")).isEqualTo(oneHeader.path("injection"));
    assertThat(unchanged.path("destinations")).isEqualTo(oneHeader.path("destinations"));

    assertThat(resolver.alter().run("user-secrets", "list", "--app", appId).stdout())
        .contains("datadog")
        .contains("https://api.datadoghq.eu");
    assertThat(
            resolver
                .alter()
                .run("user-secrets", "show", "--app", appId, "--provider", "datadog")
                .stdout())
        .contains("https://api.datadoghq.eu");

    Result disallowed =
        resolver.alter().run("user-secrets", "disallow", "--app", appId, "--provider", "datadog");
    assertThat(disallowed.exitCode()).as("%s", disallowed).isZero();
    assertThat(resolver.json("user-secrets", "list", "--app", appId).path("allowances").size())
        .isZero();
    assertThat(
            resolver
                .alter()
                .run("user-secrets", "show", "--app", appId, "--provider", "datadog")
                .exitCode())
        .isEqualTo(ExitCodes.INVALID_INPUT);
  }
}
