package dev.alter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.CliRun;
import dev.alter.cli.CliRun.Result;
import dev.alter.cli.output.Redactor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Write-only, seen from the operator's side: a marker credential goes in through every input path
 * and every command and error path runs; the marker never comes out, in text or JSON, on stdout or
 * stderr. The CLI's redactor never had to mask it either (no "[redacted]"): the service never sent
 * it back.
 */
class CredentialCanaryTest {
  @RegisterExtension static final EmbeddedResolver resolver = EmbeddedResolver.perTestClass();

  @Test
  void markerCredentialNeverAppearsInAnyCliOutput() {
    String marker = "CANARY" + UUID.randomUUID().toString().replace("-", "");
    String partMarker = "CANARYPART" + UUID.randomUUID().toString().replace("-", "");
    String rotatedMarker = "CANARYROT" + UUID.randomUUID().toString().replace("-", "");
    Path partFile = resolver.file("part", partMarker);
    Path credentialFile = resolver.file("credential", rotatedMarker + "\n");
    List<Result> outputs = new ArrayList<>();

    JsonNode app = resolver.json("apps", "create", "canary-app");
    String appId = app.path("app_id").asText();
    for (boolean json : new boolean[] {false, true}) {
      Result stored =
          run(
              outputs,
              resolver.alter().stdin(marker),
              json,
              "secrets",
              "store",
              "--app",
              appId,
              "--provider",
              "datadog",
              "--label",
              "canary" + json,
              "--part-file",
              "application_key=" + partFile);
      assertThat(stored.exitCode()).as("%s", stored).isZero();
    }
    String secretId =
        resolver
            .json("secrets", "list", "--app", appId)
            .path("secrets")
            .get(0)
            .path("secret_id")
            .asText();
    String grantId =
        resolver
            .json("grants", "create", "--secret", secretId, "--label", "c", "--system")
            .path("grant_id")
            .asText();

    for (boolean json : new boolean[] {false, true}) {
      run(outputs, resolver.alter().stdin(marker), json, "secrets", "rotate", secretId);
      run(
          outputs,
          resolver.alter(),
          json,
          "secrets",
          "rotate",
          secretId,
          "--credential-file",
          credentialFile.toString());
      run(
          outputs,
          resolver.alter().terminal(CliRun.FakeTerminal.typing(marker)),
          json,
          "secrets",
          "rotate",
          secretId);
      run(outputs, resolver.alter(), json, "secrets", "show", secretId);
      run(outputs, resolver.alter(), json, "secrets", "list", "--app", appId);
      run(
          outputs,
          resolver.alter(),
          json,
          "secrets",
          "set-destinations",
          secretId,
          "https://api.datadoghq.com");
      run(outputs, resolver.alter(), json, "secrets", "update", secretId, "--ttl", "90");
      run(
          outputs,
          resolver.alter(),
          json,
          "secrets",
          "update",
          secretId,
          "--header",
          "DD-API-KEY={credential}",
          "--header",
          "DD-APPLICATION-KEY={application_key}");
      run(outputs, resolver.alter(), json, "grants", "list", "--secret", secretId);
      run(outputs, resolver.alter(), json, "grants", "show", grantId);
      run(outputs, resolver.alter(), json, "audit", "--app", appId);
      run(outputs, resolver.alter(), json, "providers", "list");
      run(outputs, resolver.alter(), json, "master-keys", "list");
      run(outputs, resolver.alter(), json, "rewrap");
      // error paths that carry the credential in the request
      run(
          outputs,
          resolver.alter().stdin(marker),
          json,
          "secrets",
          "store",
          "--app",
          appId,
          "--provider",
          "datadog",
          "--label",
          "bad",
          "--destination",
          "ftp://nope");
      run(
          outputs,
          resolver.alter().stdin(marker),
          json,
          "secrets",
          "store",
          "--app",
          appId,
          "--provider",
          "datadog",
          "--label",
          "bad",
          "--part-file",
          "nonexistent_part=" + partFile);
      run(
          outputs,
          resolver.alter().stdin(marker),
          json,
          "secrets",
          "store",
          "--app",
          "app_nope",
          "--provider",
          "datadog",
          "--label",
          "bad");
      run(outputs, resolver.alter().stdin(marker), json, "secrets", "rotate", "ms_nope");
      run(outputs, resolver.alter().stdin(marker + "\u0001"), json, "secrets", "rotate", secretId);
      run(
          outputs,
          CliRun.cli()
              .env("ALTER_URL", "http://127.0.0.1:9")
              .env("ALTER_ADMIN_KEY_FILE", resolver.adminKeyFile.toString())
              .stdin(marker),
          json,
          "secrets",
          "rotate",
          secretId);
    }
    run(outputs, resolver.alter(), false, "grants", "revoke", grantId);
    run(outputs, resolver.alter(), false, "secrets", "delete", secretId);

    assertThat(outputs).hasSizeGreaterThan(40);
    for (Result output : outputs) {
      assertThat(output.all())
          .as("%s", output)
          .doesNotContain(marker)
          .doesNotContain(partMarker)
          .doesNotContain(rotatedMarker)
          .doesNotContain("CANARY")
          .doesNotContain(Redactor.MASK);
    }
  }

  private static Result run(List<Result> outputs, CliRun cli, boolean json, String... args) {
    String[] full = args;
    if (json) {
      full = new String[args.length + 1];
      System.arraycopy(args, 0, full, 0, args.length);
      full[args.length] = "--json";
    }
    Result result = cli.run(full);
    outputs.add(result);
    return result;
  }
}
