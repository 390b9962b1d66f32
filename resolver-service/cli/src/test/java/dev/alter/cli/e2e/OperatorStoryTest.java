package dev.alter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.CliRun.FakeTerminal;
import dev.alter.cli.CliRun.Result;
import dev.alter.contract.WireFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 2's operator story, end to end through the CLI against a real service: create an app, store
 * a Datadog key from stdin, issue a system grant, resolve, rotate, revoke, audit.
 */
class OperatorStoryTest {
  private static final String DATADOG = "https://api.datadoghq.com/api/v1/validate";

  @RegisterExtension static final EmbeddedResolver resolver = EmbeddedResolver.perTestClass();

  @Test
  void createStoreGrantResolveRotateRevokeAudit() throws Exception {
    String firstKey = "dd-api-key-" + UUID.randomUUID();
    String secondKey = "dd-api-key-" + UUID.randomUUID();
    List<Result> outputs = new ArrayList<>();

    // 1. app: id and key, the key shown once with a warning on stderr
    Result created = resolver.alter().run("apps", "create", "billing");
    outputs.add(created);
    assertThat(created.exitCode()).as("%s", created).isZero();
    String appId = valueOf(created.stdout(), "app_id");
    String appKey = valueOf(created.stdout(), "app_key");
    assertThat(appId).startsWith("app_");
    assertThat(appKey).startsWith("alter_key_app_");
    assertThat(created.stderr()).contains("warning: the app key is shown only now");

    // 2. the Datadog key from stdin, with the newline echo adds
    Result stored =
        resolver
            .alter()
            .stdin(firstKey + "\n")
            .run(
                "secrets",
                "store",
                "--app",
                appId,
                "--provider",
                "datadog",
                "--label",
                "prod-monitoring");
    outputs.add(stored);
    assertThat(stored.exitCode()).as("%s", stored).isZero();
    String secretId = valueOf(stored.stdout(), "secret_id");
    assertThat(secretId).startsWith("ms_");
    assertThat(valueOf(stored.stdout(), "version")).isEqualTo("1");
    assertThat(valueOf(stored.stdout(), "injection")).contains("DD-API-KEY: {credential}");
    assertThat(valueOf(stored.stdout(), "destinations")).contains("https://api.datadoghq.com");
    String firstFingerprint = valueOf(stored.stdout(), "fingerprint");
    assertThat(firstFingerprint).matches("[0-9a-f]{8}");

    // 3. a system grant labelled prod-monitoring
    Result granted =
        resolver
            .alter()
            .run(
                "grants", "create", "--secret", secretId, "--label", "prod-monitoring", "--system");
    outputs.add(granted);
    assertThat(granted.exitCode()).as("%s", granted).isZero();
    String grantId = valueOf(granted.stdout(), "grant_id");
    assertThat(grantId).startsWith("grt_");
    assertThat(valueOf(granted.stdout(), "principal")).isEqualTo("system:prod-monitoring");
    assertThat(valueOf(granted.stdout(), "status")).isEqualTo("active");

    // 4. the app resolves exactly the key that was piped in (newline stripped)
    ResolvingApp app = new ResolvingApp(resolver.url(), appKey);
    ResolvingApp.Outcome first = app.resolve(grantId, DATADOG);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.payload().primary()).isEqualTo(firstKey);
    assertThat(first.version()).isEqualTo(1);

    // 5. rotation in place: same grant id, new value, new version and fingerprint
    Result rotated = resolver.alter().stdin(secondKey).run("secrets", "rotate", secretId);
    outputs.add(rotated);
    assertThat(rotated.exitCode()).as("%s", rotated).isZero();
    assertThat(rotated.stdout()).startsWith("rotated " + secretId + " to version 2 (fingerprint ");
    ResolvingApp.Outcome second = app.resolve(grantId, DATADOG);
    assertThat(second.payload().primary()).isEqualTo(secondKey);
    assertThat(second.version()).isEqualTo(2);
    Result shown = resolver.alter().run("secrets", "show", secretId);
    outputs.add(shown);
    assertThat(valueOf(shown.stdout(), "version")).isEqualTo("2");
    assertThat(valueOf(shown.stdout(), "fingerprint")).isNotEqualTo(firstFingerprint);

    // 6. revocation: resolving fails with grant_revoked
    Result revoked = resolver.alter().run("grants", "revoke", grantId);
    outputs.add(revoked);
    assertThat(revoked.exitCode()).as("%s", revoked).isZero();
    assertThat(revoked.stdout()).startsWith("revoked " + grantId + " at ");
    assertThat(app.resolve(grantId, DATADOG).code()).isEqualTo("grant_revoked");
    Result listed = resolver.alter().run("grants", "list", "--secret", secretId);
    outputs.add(listed);
    assertThat(listed.stdout()).contains(grantId).contains("revoked");

    // 7. the audit shows every step, allowed and denied resolves included
    Result audit = resolver.alter().run("audit", "--app", appId);
    outputs.add(audit);
    assertThat(audit.exitCode()).as("%s", audit).isZero();
    assertThat(audit.stdout())
        .contains(
            "app.create",
            "secret.create",
            "grant.create",
            "secret.rotate",
            "grant.revoke",
            "resolve",
            "allowed",
            "denied");
    JsonNode denied = resolver.json("audit", "--grant", grantId, "--outcome", "denied");
    assertThat(denied.path("events")).hasSize(1);
    assertThat(denied.path("events").get(0).path("reason").asText()).contains("grant_revoked");

    outputs.add(resolver.alter().run("apps", "show", appId));
    outputs.add(resolver.alter().run("apps", "list"));
    outputs.add(resolver.alter().run("apps", "keys", "list", appId));

    // nothing the operator saw contains either credential, nor the app key after its creation
    for (Result output : outputs) {
      assertThat(output.all()).doesNotContain(firstKey).doesNotContain(secondKey);
      if (output != created) {
        assertThat(output.all())
            .doesNotContain(appKey)
            .doesNotContain(appKey.substring(WireFormat.APP_KEY_PREFIX.length()));
      }
    }
  }

  @Test
  void datadogApplicationKeyIsStoredFromAPartFile() throws Exception {
    JsonNode app = resolver.json("apps", "create", "parts-app");
    Path apiKey = resolver.file("dd-api-key", "dd-api-" + UUID.randomUUID() + "\n");
    Path appKeyPart = resolver.file("dd-app-key", "dd-app-" + UUID.randomUUID() + "\n");

    JsonNode secret =
        resolver.json(
            "secrets",
            "store",
            "--app",
            app.path("app_id").asText(),
            "--provider",
            "datadog",
            "--label",
            "with-app-key",
            "--credential-file",
            apiKey.toString(),
            "--part-file",
            "application_key=" + appKeyPart);
    JsonNode grant =
        resolver.json(
            "grants",
            "create",
            "--secret",
            secret.path("secret_id").asText(),
            "--label",
            "dd",
            "--system");

    ResolvingApp.Outcome outcome =
        new ResolvingApp(resolver.url(), app.path("api_key").path("key").asText())
            .resolve(grant.path("grant_id").asText(), DATADOG);
    assertThat(outcome.payload().primary()).isEqualTo(Files.readString(apiKey).strip());
    assertThat(outcome.payload().part("application_key"))
        .isEqualTo(Files.readString(appKeyPart).strip());
  }

  @Test
  void customSecretWithHeaderTemplateAndLoopbackDestination() throws Exception {
    JsonNode app = resolver.json("apps", "create", "custom-app");
    String token = "custom-token-" + UUID.randomUUID();

    JsonNode secret =
        resolver.json(
            resolver.alter().stdin(token),
            "secrets",
            "store",
            "--app",
            app.path("app_id").asText(),
            "--provider",
            "custom",
            "--label",
            "internal",
            "--header",
            "X-Api-Token=Token {credential}",
            "--destination",
            "http://127.0.0.1:9999",
            "--allow-plain-http");

    assertThat(secret.path("injection").path("headers").get(0).path("name").asText())
        .isEqualTo("X-Api-Token");
    assertThat(secret.path("allow_plain_http").asBoolean()).isTrue();
    JsonNode grant =
        resolver.json(
            "grants",
            "create",
            "--secret",
            secret.path("secret_id").asText(),
            "--label",
            "internal",
            "--system");
    ResolvingApp.Outcome outcome =
        new ResolvingApp(resolver.url(), app.path("api_key").path("key").asText())
            .resolve(grant.path("grant_id").asText(), "http://127.0.0.1:9999/v1/things");
    assertThat(outcome.payload().primary()).isEqualTo(token);
  }

  @Test
  void providerSpecificOptionsReachTheService() {
    String appId = resolver.json("apps", "create", "provider-options").path("app_id").asText();
    Path secretAccessKey = resolver.file("aws-secret", "aws-secret-" + UUID.randomUUID());

    JsonNode aws =
        resolver.json(
            resolver.alter().stdin("AKIA" + "EXAMPLE0000001"),
            "secrets",
            "store",
            "--app",
            appId,
            "--provider",
            "aws",
            "--label",
            "s3",
            "--part-file",
            "secret_access_key=" + secretAccessKey,
            "--aws-region",
            "eu-west-1",
            "--aws-service",
            "s3");
    JsonNode twilio =
        resolver.json(
            resolver.alter().stdin("twilio-token-" + UUID.randomUUID()),
            "secrets",
            "store",
            "--app",
            appId,
            "--provider",
            "twilio",
            "--label",
            "sms",
            "--basic-username",
            "AC0123456789");
    JsonNode query =
        resolver.json(
            resolver.alter().stdin("q-" + UUID.randomUUID()),
            "secrets",
            "store",
            "--app",
            appId,
            "--provider",
            "custom",
            "--label",
            "maps",
            "--query-param",
            "key",
            "--destination",
            "https://maps.example.com");

    assertThat(aws.path("injection").path("type").asText()).isEqualTo("aws_sigv4");
    assertThat(aws.path("injection").path("aws_region").asText()).isEqualTo("eu-west-1");
    assertThat(twilio.path("injection").path("username").asText()).isEqualTo("AC0123456789");
    assertThat(query.path("injection").path("query_param").asText()).isEqualTo("key");
    Result shown = resolver.alter().run("secrets", "show", aws.path("secret_id").asText());
    assertThat(valueOf(shown.stdout(), "injection"))
        .isEqualTo("aws_sigv4 region=eu-west-1 service=s3");
  }

  @Test
  void interactivePromptIsUsedWhenStdinIsATerminal() throws Exception {
    JsonNode app = resolver.json("apps", "create", "prompted-app");
    String typed = "sk-typed-" + UUID.randomUUID();
    FakeTerminal terminal = FakeTerminal.typing(typed);

    Result stored =
        resolver
            .alter()
            .terminal(terminal)
            .run(
                "secrets",
                "store",
                "--app",
                app.path("app_id").asText(),
                "--provider",
                "openai",
                "--label",
                "chat");

    assertThat(stored.exitCode()).as("%s", stored).isZero();
    assertThat(terminal.lastPrompt).contains("openai", "chat");
    assertThat(stored.all()).doesNotContain(typed);
    JsonNode grant =
        resolver.json(
            "grants",
            "create",
            "--secret",
            valueOf(stored.stdout(), "secret_id"),
            "--label",
            "chat",
            "--system");
    assertThat(
            new ResolvingApp(resolver.url(), app.path("api_key").path("key").asText())
                .resolve(grant.path("grant_id").asText(), "https://api.openai.com/v1/models")
                .payload()
                .primary())
        .isEqualTo(typed);
  }

  @Test
  void setDestinationsAndUpdateChangeWhatTheServiceEnforces() throws Exception {
    JsonNode app = resolver.json("apps", "create", "dest-app");
    String secretId =
        resolver
            .json(
                resolver.alter().stdin("dd-" + UUID.randomUUID()),
                "secrets",
                "store",
                "--app",
                app.path("app_id").asText(),
                "--provider",
                "datadog",
                "--label",
                "eu")
            .path("secret_id")
            .asText();
    String grantId =
        resolver
            .json("grants", "create", "--secret", secretId, "--label", "eu", "--system")
            .path("grant_id")
            .asText();
    ResolvingApp resolving =
        new ResolvingApp(resolver.url(), app.path("api_key").path("key").asText());

    Result narrowed =
        resolver.alter().run("secrets", "set-destinations", secretId, "https://api.datadoghq.eu");
    Result updated =
        resolver.alter().run("secrets", "update", secretId, "--label", "eu-only", "--ttl", "300");

    assertThat(narrowed.exitCode()).as("%s", narrowed).isZero();
    assertThat(valueOf(narrowed.stdout(), "destinations")).isEqualTo("https://api.datadoghq.eu");
    assertThat(valueOf(updated.stdout(), "label")).isEqualTo("eu-only");
    assertThat(valueOf(updated.stdout(), "ttl_seconds")).isEqualTo("300");
    assertThat(resolving.resolve(grantId, DATADOG).code()).isEqualTo("host_not_allowed");
    assertThat(resolving.resolve(grantId, "https://api.datadoghq.eu/api/v1/validate").status())
        .isEqualTo(200);
  }

  @Test
  void deletedSecretsGrantsStopResolving() throws Exception {
    JsonNode app = resolver.json("apps", "create", "delete-app");
    String secretId =
        resolver
            .json(
                resolver.alter().stdin("dd-" + UUID.randomUUID()),
                "secrets",
                "store",
                "--app",
                app.path("app_id").asText(),
                "--provider",
                "datadog",
                "--label",
                "gone")
            .path("secret_id")
            .asText();
    String grantId =
        resolver
            .json("grants", "create", "--secret", secretId, "--label", "gone", "--system")
            .path("grant_id")
            .asText();

    Result deleted = resolver.alter().run("secrets", "delete", secretId);

    assertThat(deleted.exitCode()).as("%s", deleted).isZero();
    assertThat(deleted.stdout()).startsWith("deleted " + secretId);
    assertThat(
            new ResolvingApp(resolver.url(), app.path("api_key").path("key").asText())
                .resolve(grantId, DATADOG)
                .code())
        .isEqualTo("grant_revoked");
  }

  @Test
  void appKeysCanBeAddedListedAndRevoked() throws Exception {
    JsonNode app = resolver.json("apps", "create", "keys-app");
    String appId = app.path("app_id").asText();

    Result added = resolver.alter().run("apps", "keys", "create", appId);
    String keyId = valueOf(added.stdout(), "key_id");
    String newKey = valueOf(added.stdout(), "app_key");
    Result revokedOut = resolver.alter().run("apps", "keys", "revoke", appId, keyId);
    Result listed = resolver.alter().run("apps", "keys", "list", appId);

    assertThat(added.stderr()).contains("shown only now");
    assertThat(revokedOut.stdout()).startsWith("revoked key " + keyId + " of app " + appId);
    assertThat(listed.stdout())
        .contains(app.path("api_key").path("key_id").asText(), "active")
        .contains(keyId, "revoked")
        .doesNotContain(newKey);
    assertThat(new ResolvingApp(resolver.url(), newKey).resolve("grt_whatever", DATADOG).code())
        .isEqualTo("unauthorized_app");
  }

  @Test
  void listingsAreCompactTables() {
    resolver.json("apps", "create", "table-app");

    Result apps = resolver.alter().run("apps", "list");
    Result providers = resolver.alter().run("providers", "list");
    Result keys = resolver.alter().run("master-keys", "list");

    assertThat(apps.stdout()).startsWith("APP_ID").contains("table-app");
    assertThat(providers.stdout())
        .startsWith("PROVIDER")
        .contains("datadog", "DD-API-KEY", "application_key", "api.datadoghq.com")
        .contains("secret_access_key (required), session_token")
        .contains(
            "stripe",
            "openai",
            "anthropic",
            "github",
            "slack",
            "sendgrid",
            "twilio",
            "aws",
            "custom");
    assertThat(keys.stdout()).startsWith("KEY_ID").contains("active");
  }

  @Test
  void rewrapReportsTheActiveKey() {
    Result rewrap = resolver.alter().run("rewrap");

    assertThat(rewrap.exitCode()).as("%s", rewrap).isZero();
    assertThat(rewrap.stdout())
        .startsWith("rewrapped ")
        .contains(" credential versions under ")
        .contains("KEY_ID", "active");
  }

  /** The value of {@code key} in the CLI's aligned key/value output. */
  static String valueOf(String output, String key) {
    return output
        .lines()
        .filter(line -> line.startsWith(key + " "))
        .map(line -> line.substring(key.length()).strip())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no '" + key + "' line in:\n" + output));
  }
}
