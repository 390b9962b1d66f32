package dev.alter.cli;

import static dev.alter.cli.CliRun.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.cli.CliRun.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing, help and usage errors: everything decided before the service is called. */
class CommandLineTest {
  /** Nothing listens here, so a command that got past parsing fails with exit code 5. */
  private static final String DEAD_URL = "http://127.0.0.1:9";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "apps",
        "apps create",
        "apps list",
        "apps show",
        "apps keys",
        "apps keys create",
        "apps keys list",
        "apps keys revoke",
        "secrets",
        "secrets store",
        "secrets rotate",
        "secrets show",
        "secrets list",
        "secrets delete",
        "secrets set-destinations",
        "secrets update",
        "grants",
        "grants create",
        "grants list",
        "grants show",
        "grants revoke",
        "audit",
        "rewrap",
        "master-keys",
        "master-keys list",
        "providers",
        "providers list"
      })
  void everyCommandHasHelp(String command) {
    String[] args = (command + " --help").strip().split(" ");

    Result result = cli().run(args);

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).startsWith("Usage: alter").contains("--json", "--url");
    assertThat(result.stderr()).isEmpty();
  }

  @Test
  void everyLeafCommandShowsExamples() {
    for (String command :
        new String[] {
          "apps create",
          "apps list",
          "apps show",
          "apps keys create",
          "apps keys list",
          "apps keys revoke",
          "secrets store",
          "secrets rotate",
          "secrets show",
          "secrets list",
          "secrets delete",
          "secrets set-destinations",
          "secrets update",
          "grants create",
          "grants list",
          "grants show",
          "grants set-policy",
          "grants revoke",
          "audit",
          "rewrap",
          "master-keys list",
          "providers list"
        }) {
      assertThat(cli().run((command + " --help").split(" ")).stdout())
          .as(command)
          .containsPattern("Examples?:");
    }
  }

  @Test
  void rootHelpDocumentsExitCodesAndEnvironment() {
    assertThat(cli().run("--help").stdout())
        .contains("Exit codes:", "ALTER_URL", "ALTER_ADMIN_KEY_FILE", "ALTER_ADMIN_KEY");
  }

  @Test
  void aPolicyThatIsNotAJsonObjectIsAUsageErrorBeforeAnyCall() {
    Result notJson =
        cli().run("grants", "set-policy", "grt_0123456789abcdef0123", "--policy", "{oops");
    assertThat(notJson.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(notJson.stderr()).contains("--policy is not valid JSON");
    Result array = cli().run("grants", "set-policy", "grt_0123456789abcdef0123", "--policy", "[]");
    assertThat(array.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(array.stderr()).contains("--policy must be a JSON object");
  }

  @Test
  void missingSubcommandIsAUsageError() {
    Result result = cli().run("secrets");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.stderr())
        .startsWith("error: usage: Missing required subcommand")
        .contains("hint: see 'alter secrets --help'");
  }

  @Test
  void missingRequiredOptionIsAUsageErrorWithoutStackTrace() {
    Result result = cli().run("secrets", "store", "--app", "app_1", "--label", "x");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.stderr())
        .contains("error: usage:", "--provider")
        .doesNotContain("Exception", "\tat ");
  }

  @Test
  void aCredentialTypedAsAnArgumentIsRefusedWithoutEchoingIt() {
    Result result =
        cli()
            .run(
                "secrets",
                "store",
                "--app",
                "app_1",
                "--provider",
                "datadog",
                "--label",
                "x",
                "--credential",
                "dd-canary-0123456789");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.stderr()).contains("credentials are not accepted as arguments");
    assertThat(result.all()).doesNotContain("dd-canary-0123456789");
  }

  @Test
  void grantNeedsExactlyOnePrincipal() {
    Result none = cli().run("grants", "create", "--secret", "ms_1", "--label", "l");
    Result two =
        cli()
            .run(
                "grants",
                "create",
                "--secret",
                "ms_1",
                "--label",
                "l",
                "--system",
                "--agent",
                "agt_1");

    assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.stderr()).contains("--system", "--user", "--group", "--agent");
    assertThat(two.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(two.stderr()).contains("mutually exclusive");
  }

  @Test
  void userAndGroupPrincipalsNeedAnIdentityProvider() {
    Result result =
        cli()
            .env("ALTER_ADMIN_KEY", "alter_key_admin_test")
            .run(
                "--url",
                DEAD_URL,
                "grants",
                "create",
                "--secret",
                "ms_1",
                "--label",
                "l",
                "--user",
                "alice");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.stderr()).contains("--idp");
  }

  @Test
  void idpWithoutUserOrGroupIsRefused() {
    Result result =
        cli()
            .env("ALTER_ADMIN_KEY", "alter_key_admin_test")
            .run(
                "--url",
                DEAD_URL,
                "grants",
                "create",
                "--secret",
                "ms_1",
                "--label",
                "l",
                "--system",
                "--idp",
                "idp_1");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.stderr()).contains("--idp goes with --user or --group");
  }

  @Test
  void systemWithoutLabelDoesNotSwallowTheNextOption() {
    Result result =
        cli()
            .env("ALTER_ADMIN_KEY", "alter_key_admin_test")
            .run(
                "--url",
                DEAD_URL,
                "grants",
                "create",
                "--system",
                "--secret",
                "ms_1",
                "--label",
                "l");

    // parsing succeeded: the command went on to call the (absent) service
    assertThat(result.exitCode()).as("%s", result).isEqualTo(ExitCodes.UNAVAILABLE);
  }

  @Test
  void expiryMustBeAnRfc3339Time() {
    Result result =
        cli()
            .run(
                "grants",
                "create",
                "--secret",
                "ms_1",
                "--label",
                "l",
                "--system",
                "--expires-at",
                "tomorrow");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.stderr()).contains("RFC 3339");
  }

  @Test
  void onlyOneInjectionStyle() {
    Result result =
        cli()
            .env("ALTER_ADMIN_KEY", "alter_key_admin_test")
            .stdin("value-123456")
            .run(
                "--url",
                DEAD_URL,
                "secrets",
                "store",
                "--app",
                "app_1",
                "--provider",
                "custom",
                "--label",
                "l",
                "--header",
                "X-Key={credential}",
                "--query-param",
                "key");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.stderr()).contains("choose one injection style");
  }

  @Test
  void updateNeedsSomethingToChange() {
    Result result =
        cli()
            .env("ALTER_ADMIN_KEY", "alter_key_admin_test")
            .run("--url", DEAD_URL, "secrets", "update", "ms_1");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.stderr()).contains("give --label, --ttl and/or an injection");
  }

  @Test
  void badUrlIsAUsageError() {
    Result result =
        cli()
            .env("ALTER_ADMIN_KEY", "alter_key_admin_test")
            .run("apps", "list", "--url", "127.0.0.1:8470");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.stderr()).contains("--url must be http(s)://host");
  }

  @Test
  void globalOptionsWorkBeforeAndAfterTheCommand() {
    Result before =
        cli().env("ALTER_ADMIN_KEY", "alter_key_admin_test").run("--url", DEAD_URL, "apps", "list");
    Result after =
        cli().env("ALTER_ADMIN_KEY", "alter_key_admin_test").run("apps", "list", "--url", DEAD_URL);

    assertThat(before.stderr()).contains("cannot reach the resolver service at " + DEAD_URL);
    assertThat(after.stderr()).contains("cannot reach the resolver service at " + DEAD_URL);
  }

  @Test
  void urlComesFromTheEnvironmentWhenNotGiven() {
    Result result =
        cli()
            .env("ALTER_ADMIN_KEY", "alter_key_admin_test")
            .env("ALTER_URL", DEAD_URL)
            .run("apps", "list");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.stderr())
        .startsWith("error: resolver_unavailable: cannot reach the resolver service at " + DEAD_URL)
        .contains("hint: check --url / ALTER_URL");
  }

  @Test
  void noAdminKeyIsAnAuthError() {
    Result result = cli().run("--url", DEAD_URL, "apps", "list");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.AUTH);
    assertThat(result.stderr()).startsWith("error: unauthorized: no admin key configured");
  }

  @Test
  void emptyPipedCredentialFailsBeforeAnythingIsSent() {
    Result result =
        cli()
            .env("ALTER_ADMIN_KEY", "alter_key_admin_test")
            .stdin("")
            .run(
                "--url",
                DEAD_URL,
                "secrets",
                "store",
                "--app",
                "app_1",
                "--provider",
                "datadog",
                "--label",
                "l");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(result.stderr())
        .startsWith("error: validation_failed: the credential read from" + " stdin is empty");
  }

  @Test
  void versionIsPrinted() {
    Result result = cli().run("--version");

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).startsWith("alter ");
  }
}
