package dev.alter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.cli.CliRun.Result;
import dev.alter.cli.ExitCodes;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code alter secrets store} of minted secrets: configuration with {@code --setting}, the client
 * secret on stdin or in a file, and secret parts never taken as arguments.
 */
class MintedSecretCommandTest {
  @RegisterExtension static final EmbeddedResolver resolver = EmbeddedResolver.perTestClass();
  static String appId;

  @BeforeAll
  static void createApp() {
    appId = resolver.json("apps", "create", "minted-app").path("app_id").asText();
  }

  @Test
  void aClientCredentialsSecretIsStoredFromSettingsAndStdin() {
    Result stored =
        resolver
            .alter()
            .stdin("client-secret-canary-5f2a")
            .run(
                "secrets",
                "store",
                "--app",
                appId,
                "--provider",
                "paypal",
                "--label",
                "payments",
                "--setting",
                "client_id=AYx-app",
                "--json");

    assertThat(stored.exitCode()).as("%s", stored).isZero();
    assertThat(stored.stdout()).contains("\"provider\":\"paypal\"").doesNotContain("canary");
  }

  @Test
  void aRefreshTokenSecretTakesItsClientSecretFromAFile() {
    Path clientSecret = resolver.file("client-secret", "refresh-client-secret-canary");
    Result stored =
        resolver
            .alter()
            .stdin("refresh-token-canary")
            .run(
                "secrets",
                "store",
                "--app",
                appId,
                "--provider",
                "oauth2-refresh-token",
                "--label",
                "mail",
                "--destination",
                "https://graph.example",
                "--setting",
                "client_id=mail-app",
                "--setting",
                "token_endpoint=https://login.example/oauth2/token",
                "--part-file",
                "client_secret=" + clientSecret,
                "--json");

    assertThat(stored.exitCode()).as("%s", stored).isZero();
    assertThat(stored.stdout() + stored.stderr()).doesNotContain("canary");
  }

  @Test
  void aSecretPartIsNeverASettingAndBadSettingsChangeNothing() {
    Result refused =
        resolver
            .alter()
            .stdin("x")
            .run(
                "secrets",
                "store",
                "--app",
                appId,
                "--provider",
                "oauth2-refresh-token",
                "--label",
                "mail",
                "--destination",
                "https://graph.example",
                "--setting",
                "client_secret=typed-canary");
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.stderr()).contains("--part-file").doesNotContain("typed-canary");

    Result invalid =
        resolver
            .alter()
            .stdin("secret-canary")
            .run(
                "secrets",
                "store",
                "--app",
                appId,
                "--provider",
                "oauth2-client-credentials",
                "--label",
                "plain",
                "--destination",
                "https://api.example",
                "--setting",
                "client_id=app",
                "--setting",
                "token_endpoint=http://login.example/token");
    assertThat(invalid.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(invalid.stderr()).contains("must use https").doesNotContain("secret-canary");
    assertThat(resolver.json("secrets", "list", "--app", appId).path("secrets").toString())
        .doesNotContain("\"label\":\"plain\"");
  }
}
