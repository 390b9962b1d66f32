package dev.alter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.CliRun;
import dev.alter.cli.CliRun.Result;
import dev.alter.cli.ExitCodes;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the operator sees when things go wrong: one error line, a hint, a stable exit code. */
class ErrorExitCodeTest {
  @RegisterExtension static final EmbeddedResolver resolver = EmbeddedResolver.perTestClass();
  static String appId;
  static String appKey;

  @BeforeAll
  static void createApp() {
    JsonNode app = resolver.json("apps", "create", "errors-app");
    appId = app.path("app_id").asText();
    appKey = app.path("api_key").path("key").asText();
  }

  @Test
  void unknownIdIsNotFound() {
    Result result = resolver.alter().run("secrets", "show", "ms_doesnotexist");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(result.stdout()).isEmpty();
    assertThat(result.stderr()).startsWith("error: not_found: ").contains("\nhint: ");
    assertNoStackTrace(result);
  }

  @Test
  void unknownIdWithJsonIsStillAnErrorOnStderr() {
    Result result = resolver.alter().run("grants", "show", "grt_doesnotexist", "--json");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(result.stdout()).isEmpty();
    assertThat(result.stderr()).startsWith("error: not_found: ");
  }

  @Test
  void badDestinationIsRejectedInput() {
    Result result =
        resolver
            .alter()
            .stdin("dd-value-for-bad-destination")
            .run(
                "secrets",
                "store",
                "--app",
                appId,
                "--provider",
                "datadog",
                "--label",
                "bad",
                "--destination",
                "https://*.*.evil.test");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(result.stderr()).startsWith("error: validation_failed: ");
    assertThat(resolver.json("secrets", "list", "--app", appId).path("secrets")).isEmpty();
  }

  @Test
  void plainHttpDestinationNeedsTheExplicitFlag() {
    Result result =
        resolver
            .alter()
            .stdin("token-for-plain-http-check")
            .run(
                "secrets",
                "store",
                "--app",
                appId,
                "--provider",
                "custom",
                "--label",
                "plain",
                "--header",
                "X-Key={credential}",
                "--destination",
                "http://127.0.0.1:8080");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(result.stderr()).startsWith("error: validation_failed: ");
  }

  @Test
  void unknownProviderIsRejectedInput() {
    Result result =
        resolver
            .alter()
            .stdin("value-for-unknown-provider")
            .run(
                "secrets", "store", "--app", appId, "--provider", "nosuchprovider", "--label", "x");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(result.stderr()).startsWith("error: validation_failed: ");
  }

  @Test
  void duplicateAppNameIsAConflict() {
    Result result = resolver.alter().run("apps", "create", "errors-app");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(result.stderr()).startsWith("error: conflict: ");
  }

  @Test
  void wrongAdminKeyIsAnAuthError() {
    Path wrongKey =
        resolver.file("wrong.key", "alter_key_admin_0000000000000000000000000000000000000000\n");

    Result result =
        CliRun.cli()
            .env("ALTER_URL", resolver.url())
            .run("apps", "list", "--admin-key-file", wrongKey.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.AUTH);
    assertThat(result.stderr())
        .startsWith("error: unauthorized: ")
        .contains("hint: the admin key is missing, unknown or revoked");
  }

  @Test
  void appKeyInsteadOfAdminKeyIsForbidden() {
    Result result =
        CliRun.cli()
            .env("ALTER_URL", resolver.url())
            .env("ALTER_ADMIN_KEY", appKey)
            .run("apps", "list");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.AUTH);
    assertThat(result.stderr()).startsWith("error: forbidden: ").contains("use an admin key");
    assertThat(result.all()).doesNotContain(appKey);
  }

  @Test
  void adminKeyFromTheEnvironmentValueWorks() throws IOException {
    String adminKey = Files.readString(resolver.adminKeyFile).strip();

    Result result =
        CliRun.cli()
            .env("ALTER_URL", resolver.url())
            .env("ALTER_ADMIN_KEY", adminKey)
            .run("apps", "list");

    assertThat(result.exitCode()).as("%s", result).isZero();
    assertThat(result.stdout()).contains("errors-app");
  }

  @Test
  void serviceDownIsUnavailable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    Result result = resolver.alter().run("apps", "list", "--url", "http://127.0.0.1:" + closedPort);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.stderr())
        .startsWith(
            "error: resolver_unavailable: cannot reach the"
                + " resolver service at http://127.0.0.1:"
                + closedPort);
    assertNoStackTrace(result);
  }

  @Test
  void revokingAnUnknownGrantIsNotFound() {
    Result result = resolver.alter().run("grants", "revoke", "grt_nope");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(result.stderr()).startsWith("error: not_found: ");
  }

  @Test
  void outOfRangeTtlIsRejectedInput() {
    Result result =
        resolver
            .alter()
            .stdin("value-for-ttl-check")
            .run(
                "secrets",
                "store",
                "--app",
                appId,
                "--provider",
                "datadog",
                "--label",
                "ttl",
                "--ttl",
                "1");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(result.stderr()).startsWith("error: validation_failed: ").contains("ttl");
  }

  private static void assertNoStackTrace(Result result) {
    assertThat(result.all()).doesNotContain("Exception", "\tat ", "Caused by");
  }
}
