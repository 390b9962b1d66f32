package dev.alter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.CliRun.Result;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code alter usage}: a grant's reported counts and its secret's provider-rejection flag. */
class UsageCommandTest {
  @RegisterExtension static final EmbeddedResolver resolver = EmbeddedResolver.perTestClass();

  @Test
  void showsTheGrantsCountsAndThatTheProviderRejectsItsSecret() throws Exception {
    JsonNode app = resolver.json("apps", "create", "usage-cli");
    String appKey = app.path("api_key").path("key").asText();
    JsonNode secret =
        resolver.json(
            resolver.alter().stdin("sk-usage-cli\n"),
            "secrets",
            "store",
            "--app",
            app.path("app_id").asText(),
            "--provider",
            "stripe",
            "--label",
            "usage");
    String secretId = secret.path("secret_id").asText();
    String grantId =
        resolver
            .json("grants", "create", "--secret", secretId, "--label", "usage", "--system")
            .path("grant_id")
            .asText();
    String minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).toString();
    HttpResponse<String> reported =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(resolver.url() + "/v1/usage/report"))
                    .header("Authorization", "Bearer " + appKey)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"entries\":[{\"grant_id\":\""
                                + grantId
                                + "\",\"minute\":\""
                                + minute
                                + "\",\"injected\":7,\"responses\":{\"2xx\":4,\"4xx\":3},"
                                + "\"401\":3}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);

    Result usage = resolver.alter().run("usage", "--grant", grantId);
    assertThat(usage.exitCode()).as(usage.stderr()).isZero();
    assertThat(usage.stdout()).contains(grantId).containsPattern(grantId + "\\s+-\\s+7\\s+0\\s+4");
    assertThat(usage.stdout())
        .contains("REJECTED BY PROVIDER: secret " + secretId + " got 401/403 3 times");
    Result json = resolver.alter().run("usage", "--grant", grantId, "--json");
    assertThat(json.stdout()).contains("\"injected\":7");

    Result shown = resolver.alter().run("secrets", "show", secretId);
    assertThat(shown.exitCode()).as(shown.stderr()).isZero();
    assertThat(shown.stdout())
        .containsPattern("rejected_by_provider\\s+3 responses 401/403, first \\S+, last \\S+")
        .contains("alter secrets rotate " + secretId);
  }
}
