package dev.alter.it.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.SharedResolverService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A secret whose injected requests the provider answered with 401 and 403 carries the "rejected by
 * provider" notice on its portal page, with the count; after the operator stores a new credential
 * and the agent reports an accepted request, the notice is gone. The usage comes in as an agent
 * sends it: a report signed with the app's key.
 */
class PortalProviderRejectionTest {
  private static ResolverServiceProcess service;

  @BeforeAll
  static void start() {
    Browser.requireInstalled();
    service = SharedResolverService.get();
  }

  @Test
  void theSecretPageFlagsAProvidersRejectionUntilARotationIsAccepted() throws Exception {
    AdminClient admin = service.admin();
    AdminClient.App app = admin.createApp("portal-rejection-" + RandomHex.of(4));
    String key = "sk_live_" + RandomHex.of(16);
    String secret = admin.storeSecretId(NewSecret.provider(app.appId, "stripe", key));
    String grant = admin.createSystemGrant(secret, "billing");

    try (Browser browser = Browser.open(service.baseUrl())) {
      PortalSignIn.signIn(browser, service.adminKey());
      browser.go("/portal/secrets/" + secret);
      assertThat(browser.findAll("#provider-rejection")).as("no flag before any 401").isEmpty();

      assertThat(report(app.apiKey, grant, 5, 2, 2, 1).statusCode()).isEqualTo(202);
      browser.go("/portal/secrets/" + secret);
      assertThat(browser.text("#provider-rejection"))
          .contains("Rejected by provider: 3 responses 401/403", "store a new one below");

      String rotated = "sk_live_" + RandomHex.of(16);
      admin.rotate(secret, rotated);
      assertThat(report(app.apiKey, grant, 1, 1, 0, 0).statusCode()).isEqualTo(202);
      browser.go("/portal/secrets/" + secret);
      assertThat(browser.findAll("#provider-rejection"))
          .as("an accepted request after the rotation clears the flag")
          .isEmpty();
      browser.assertHoldsNone("secret page", List.of(key, rotated, app.apiKey, service.adminKey()));
    }
  }

  /** One usage entry for this minute, as the agent reports it (app key as Bearer). */
  private static HttpResponse<String> report(
      String appKey, String grant, long injected, long ok, long s401, long s403) throws Exception {
    String body =
        "{\"batch_id\":\"portal-"
            + RandomHex.of(6)
            + "\",\"entries\":[{\"grant_id\":\""
            + grant
            + "\",\"minute\":\""
            + Instant.now().truncatedTo(ChronoUnit.MINUTES)
            + "\",\"injected\":"
            + injected
            + ",\"responses\":{\"2xx\":"
            + ok
            + ",\"4xx\":"
            + (s401 + s403)
            + "},\"401\":"
            + s401
            + ",\"403\":"
            + s403
            + ",\"429\":0}]}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(service.baseUrl() + "/v1/usage/report"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + appKey)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }
}
