package dev.alter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.CliRun.Result;
import dev.alter.cli.ExitCodes;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code alter secrets update}: settings and injection change in place, same secret id. */
class SecretUpdateCommandTest {
  @RegisterExtension static final EmbeddedResolver resolver = EmbeddedResolver.perTestClass();
  static String appId;

  @BeforeAll
  static void createApp() {
    appId = resolver.json("apps", "create", "update-app").path("app_id").asText();
  }

  @Test
  void anAwsSecretGetsANewDefaultRegionAndService() {
    Path secretKey = resolver.file("aws-secret", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    Result stored =
        resolver
            .alter()
            .stdin("AKIDEXAMPLE")
            .run(
                "secrets",
                "store",
                "--app",
                appId,
                "--provider",
                "aws",
                "--label",
                "storage",
                "--part-file",
                "secret_access_key=" + secretKey,
                "--json");
    assertThat(stored.exitCode()).as("%s", stored).isZero();
    String secretId =
        resolver
            .json("secrets", "list", "--app", appId)
            .path("secrets")
            .get(0)
            .path("secret_id")
            .asText();

    JsonNode updated =
        resolver.json(
            "secrets", "update", secretId, "--aws-region", "eu-central-1", "--aws-service", "s3");
    assertThat(updated.path("secret_id").asText()).isEqualTo(secretId);
    assertThat(updated.path("injection").path("type").asText()).isEqualTo("aws_sigv4");
    assertThat(updated.path("injection").path("aws_region").asText()).isEqualTo("eu-central-1");
    assertThat(updated.path("injection").path("aws_service").asText()).isEqualTo("s3");
    assertThat(resolver.alter().run("secrets", "show", secretId).stdout()).contains("eu-central-1");

    Result refused =
        resolver.alter().run("secrets", "update", secretId, "--header", "X-Key={credential}");
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(refused.stderr()).startsWith("error: validation_failed: ").contains("aws_sigv4");
    assertThat(refused.stderr()).doesNotContain("wJalrXUtnFEMI");
    assertThat(
            resolver
                .json("secrets", "show", secretId)
                .path("injection")
                .path("aws_region")
                .asText())
        .as("a refused update changes nothing")
        .isEqualTo("eu-central-1");
  }

  @Test
  void oneInjectionStyleAtATime() {
    Result result =
        resolver
            .alter()
            .run(
                "secrets",
                "update",
                "ms_1",
                "--header",
                "X-Key={credential}",
                "--query-param",
                "key");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.stderr()).contains("choose one injection style");
  }
}
