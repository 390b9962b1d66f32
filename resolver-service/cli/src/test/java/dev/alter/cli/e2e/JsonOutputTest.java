package dev.alter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every command's {@code --json} prints the API's JSON (parsed here) and nothing else. */
class JsonOutputTest {
  @RegisterExtension static final EmbeddedResolver resolver = EmbeddedResolver.perTestClass();

  @Test
  void everyCommandAnswersWithTheApisJson() {
    JsonNode app = resolver.json("apps", "create", "json-app");
    String appId = app.path("app_id").asText();
    assertThat(app.path("api_key").path("key").asText()).startsWith("alter_key_app_");
    assertThat(resolver.json("apps", "list").path("apps").findValuesAsText("app_id"))
        .contains(appId);
    assertThat(resolver.json("apps", "show", appId).path("name").asText()).isEqualTo("json-app");

    JsonNode key = resolver.json("apps", "keys", "create", appId);
    assertThat(key.path("key").asText()).startsWith("alter_key_app_");
    assertThat(resolver.json("apps", "keys", "list", appId).path("keys")).hasSize(2);
    assertThat(
            resolver
                .json("apps", "keys", "revoke", appId, key.path("key_id").asText())
                .path("revoked_at")
                .isTextual())
        .isTrue();

    JsonNode secret =
        resolver.json(
            resolver.alter().stdin("json-" + UUID.randomUUID()),
            "secrets",
            "store",
            "--app",
            appId,
            "--provider",
            "stripe",
            "--label",
            "payments",
            "--ttl",
            "120");
    String secretId = secret.path("secret_id").asText();
    assertThat(secret.path("version").asInt()).isEqualTo(1);
    assertThat(secret.path("ttl_seconds").asInt()).isEqualTo(120);
    assertThat(
            resolver
                .json(
                    resolver.alter().stdin("json-" + UUID.randomUUID()),
                    "secrets",
                    "rotate",
                    secretId)
                .path("version")
                .asInt())
        .isEqualTo(2);
    assertThat(resolver.json("secrets", "show", secretId).path("fingerprint").asText())
        .matches("[0-9a-f]{8}");
    assertThat(
            resolver
                .json("secrets", "list", "--app", appId)
                .path("secrets")
                .findValuesAsText("secret_id"))
        .containsExactly(secretId);
    assertThat(
            resolver
                .json("secrets", "set-destinations", secretId, "https://api.stripe.com:443")
                .path("destinations"))
        .isNotEmpty();
    assertThat(
            resolver
                .json("secrets", "update", secretId, "--label", "payments-2")
                .path("label")
                .asText())
        .isEqualTo("payments-2");

    JsonNode grant =
        resolver.json(
            "grants",
            "create",
            "--secret",
            secretId,
            "--label",
            "job",
            "--system",
            "--expires-at",
            "2099-01-01T00:00:00+02:00");
    String grantId = grant.path("grant_id").asText();
    assertThat(grant.path("principal").path("type").asText()).isEqualTo("system");
    assertThat(grant.path("expires_at").asText()).startsWith("2098-12-31T22:00");
    assertThat(resolver.json("grants", "list", "--secret", secretId).path("grants")).hasSize(1);
    assertThat(resolver.json("grants", "list", "--app", appId).path("grants")).hasSize(1);
    assertThat(resolver.json("grants", "show", grantId).path("label").asText()).isEqualTo("job");
    assertThat(resolver.json("grants", "revoke", grantId).path("revoked_at").isTextual()).isTrue();

    JsonNode audit = resolver.json("audit", "--app", appId, "--limit", "2");
    assertThat(audit.path("events")).hasSize(2);
    assertThat(audit.has("next_cursor")).isTrue();
    JsonNode nextPage =
        resolver.json(
            "audit",
            "--app",
            appId,
            "--limit",
            "2",
            "--cursor",
            audit.path("next_cursor").asText());
    assertThat(nextPage.path("events")).isNotEmpty();
    assertThat(nextPage.path("events").get(0).path("event_id"))
        .isNotEqualTo(audit.path("events").get(0).path("event_id"));

    assertThat(resolver.json("providers", "list").path("providers").findValuesAsText("id"))
        .contains("datadog", "custom");
    assertThat(resolver.json("master-keys", "list").path("active_key_id").asText()).isNotEmpty();
    assertThat(resolver.json("rewrap").path("rewrapped").isNumber()).isTrue();

    assertThat(resolver.json("secrets", "delete", secretId).path("deleted").asBoolean()).isTrue();
  }

  @Test
  void grantPrincipalsOfEveryKindAreSentAsTheApiDescribes() {
    String appId = resolver.json("apps", "create", "principal-app").path("app_id").asText();
    String secretId =
        resolver
            .json(
                resolver.alter().stdin("p-" + UUID.randomUUID()),
                "secrets",
                "store",
                "--app",
                appId,
                "--provider",
                "github",
                "--label",
                "gh")
            .path("secret_id")
            .asText();
    // user and group grants name a registered IdP, agent grants a registered agent
    String idpId =
        resolver
            .json(
                "idps",
                "create",
                "--issuer",
                "https://sso.corp.example",
                "--jwks-url",
                "https://sso.corp.example/certs",
                "--audience",
                "api",
                "--algorithm",
                "RS256")
            .path("idp_id")
            .asText();
    String agentId = resolver.json("agents", "create", "bot").path("agent_id").asText();

    JsonNode system =
        resolver
            .json(
                "grants", "create", "--secret", secretId, "--label", "ci", "--system=build-runner")
            .path("principal");
    JsonNode user =
        resolver
            .json(
                "grants",
                "create",
                "--secret",
                secretId,
                "--label",
                "alice",
                "--user",
                "alice",
                "--idp",
                idpId)
            .path("principal");
    JsonNode group =
        resolver
            .json(
                "grants",
                "create",
                "--secret",
                secretId,
                "--label",
                "ops",
                "--group",
                "ops-team",
                "--idp",
                idpId)
            .path("principal");
    JsonNode agent =
        resolver
            .json("grants", "create", "--secret", secretId, "--label", "bot", "--agent", agentId)
            .path("principal");

    assertThat(system.path("label").asText()).isEqualTo("build-runner");
    assertThat(user.path("user_id").asText()).isEqualTo("alice");
    assertThat(user.path("idp_id").asText()).isEqualTo(idpId);
    assertThat(group.path("external_group_id").asText()).isEqualTo("ops-team");
    assertThat(agent.path("agent_id").asText()).isEqualTo(agentId);
  }
}
