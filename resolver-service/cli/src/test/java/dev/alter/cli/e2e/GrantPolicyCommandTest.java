package dev.alter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.CliRun.Result;
import dev.alter.cli.ExitCodes;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A grant's policy through the CLI against the real service: set at creation, shown by {@code
 * grants show} and {@code grants list}, replaced in place from a file (same grant id), a bad policy
 * refused with the service's reason and exit code and nothing changed, and removed with {@code
 * --clear}; each change in the audit.
 */
class GrantPolicyCommandTest {
  @RegisterExtension static final EmbeddedResolver resolver = EmbeddedResolver.perTestClass();

  @Test
  void aPolicyIsSetShownChangedInPlaceRefusedWhenBadAndCleared() {
    String appId = resolver.json("apps", "create", "policy-app").path("app_id").asText();
    String secretId =
        resolver
            .json(
                resolver.alter().stdin("ghp_" + UUID.randomUUID()),
                "secrets",
                "store",
                "--app",
                appId,
                "--provider",
                "github",
                "--label",
                "bot")
            .path("secret_id")
            .asText();

    Result created =
        resolver
            .alter()
            .run(
                "grants",
                "create",
                "--secret",
                secretId,
                "--label",
                "bot-github",
                "--system",
                "--policy",
                "{\"requests\": [\"GET /repos/*/*\"]}");
    assertThat(created.exitCode()).as("%s", created).isZero();
    assertThat(created.stdout()).contains("policy", "GET /repos/*/*");
    String grantId =
        resolver
            .json("grants", "list", "--secret", secretId)
            .path("grants")
            .get(0)
            .path("grant_id")
            .asText();

    Result list = resolver.alter().run("grants", "list", "--secret", secretId);
    assertThat(list.stdout()).contains("POLICY").contains(grantId).contains("requests");

    Path hours =
        resolver.file(
            "support-hours.json",
            "{\"windows\": [{\"days\": [\"mon-fri\"], \"from\": \"08:00\", \"to\": \"18:00\","
                + " \"zone\": \"Europe/Berlin\"}],"
                + " \"rate_limits\": [{\"requests\": 60, \"per_seconds\": 60}]}");
    JsonNode changed = resolver.json("grants", "set-policy", grantId, "--policy", "@" + hours);
    assertThat(changed.path("grant_id").asText()).isEqualTo(grantId);
    assertThat(changed.path("policy").path("windows").get(0).path("zone").asText())
        .isEqualTo("Europe/Berlin");
    assertThat(resolver.alter().run("grants", "show", grantId).stdout())
        .contains("Europe/Berlin", "per_seconds");

    Result bad =
        resolver
            .alter()
            .run(
                "grants",
                "set-policy",
                grantId,
                "--policy",
                "{\"windows\": [{\"days\": [\"mon\"], \"from\": \"08:00\", \"to\": \"18:00\","
                    + " \"zone\": \"Mars/Olympus_Mons\"}]}");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(bad.stderr())
        .startsWith("error: validation_failed: ")
        .contains("policy.windows[0].zone is not a known IANA time zone");
    assertThat(
            resolver
                .json("grants", "show", grantId)
                .path("policy")
                .path("windows")
                .get(0)
                .path("zone")
                .asText())
        .isEqualTo("Europe/Berlin");

    JsonNode cleared = resolver.json("grants", "set-policy", grantId, "--clear");
    assertThat(cleared.path("grant_id").asText()).isEqualTo(grantId);
    assertThat(cleared.path("policy").isNull() || cleared.path("policy").isMissingNode()).isTrue();

    JsonNode audit =
        resolver.json("audit", "--grant", grantId, "--action", "grant.policy").path("events");
    assertThat(audit).hasSize(2);
  }
}
