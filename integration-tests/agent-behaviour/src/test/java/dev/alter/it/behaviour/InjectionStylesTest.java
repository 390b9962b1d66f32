package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP Basic and query-parameter injection, as the provider receives them and the app sees them.
 */
class InjectionStylesTest {
  private static ResolverServiceProcess service;
  private static AdminClient admin;
  private static AdminClient.App app;
  private static StandInProvider provider;
  private static RunningChild child;

  @BeforeAll
  static void start() {
    service = SharedResolverService.get();
    admin = service.admin();
    app = admin.createApp("styles-it-" + System.nanoTime());
    provider = new StandInProvider("styles");
    child = provider.startApp(service.baseUrl(), app.apiKey);
  }

  @AfterAll
  static void stop() {
    child.close();
    provider.close();
  }

  @BeforeEach
  void clear() {
    provider.server.clear();
  }

  @Test
  void basicStyleSendsUsernameAndCredentialAndReplacesTheAppsAuthorization() {
    String token = StandInProvider.randomCredential("tw");
    String grant =
        admin.createSystemGrant(
            admin.storeSecretId(
                NewSecret.customBasic(app.appId, token, "AC0123456789")
                    .destinations(provider.origin())),
            "basic");

    JsonNode report =
        child.ask(
            "request "
                + ChildRequest.post(
                        provider.origin() + "/2010-04-01/Accounts/AC0123456789/Messages.json",
                        "To=%2B15550100&Body=hi")
                    .grant(grant)
                    .header("Authorization", "Basic cGxhY2Vob2xkZXI6eA==")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .toLine(),
            Duration.ofSeconds(40));

    assertThat(report.path("status").asInt()).as("report %s", report).isEqualTo(200);
    RecordedRequest received = provider.server.singleRequest();
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("AC0123456789:" + token).getBytes(StandardCharsets.UTF_8));
    assertThat(received.headerValues("Authorization")).containsExactly(expected);
    assertThat(received.bodyText()).isEqualTo("To=%2B15550100&Body=hi");
    assertThat(received.hasAnyAlterHeader()).isFalse();
    assertThat(report.toString()).doesNotContain(token).doesNotContain(expected.substring(6));
  }

  @Test
  void queryStyleAppendsTheParameterKeepingTheAppsQueryAndTheAppNeverSeesIt() {
    String key = StandInProvider.randomCredential("q");
    String grant =
        admin.createSystemGrant(
            admin.storeSecretId(
                NewSecret.customQuery(app.appId, key, "api_key").destinations(provider.origin())),
            "query");

    JsonNode report =
        child.ask(
            "request "
                + ChildRequest.get(provider.origin() + "/v1/search?q=caf%C3%A9&limit=5")
                    .grant(grant)
                    .toLine(),
            Duration.ofSeconds(40));

    assertThat(report.path("status").asInt()).as("report %s", report).isEqualTo(200);
    RecordedRequest received = provider.server.singleRequest();
    assertThat(received.target())
        .startsWith("/v1/search?")
        .contains("q=caf%C3%A9", "limit=5", "api_key=" + key);
    assertThat(received.target().split("api_key=", -1)).hasSize(2);
    assertThat(received.hasAnyAlterHeader()).isFalse();
    assertThat(report.path("request_uri").asText()).doesNotContain(key);
    assertThat(report.toString()).doesNotContain(key);
  }
}
