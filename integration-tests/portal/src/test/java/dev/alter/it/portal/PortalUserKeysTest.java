package dev.alter.it.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.SharedResolverService;
import dev.alter.testing.TestIdp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An app's "Keys users upload" page in the browser: the operator allows Datadog for one IdP's users
 * with narrower destinations and headers than the catalog's, a user uploads a key through the app's
 * REST call, a wider destination and an empty IdP list are refused with the service's reasons
 * (nothing changes), a change moves the uploaded key with it, and removing the allowance deletes
 * the key. The page never holds the key, the app key or the admin key.
 */
class PortalUserKeysTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ResolverServiceProcess service;

  @BeforeAll
  static void start() {
    Browser.requireInstalled();
    service = SharedResolverService.get();
  }

  @Test
  void anOperatorAllowsChangesAndRemovesWhatAnAppsUsersMayUpload() throws Exception {
    String userKey = "dd-portal-user-" + RandomHex.of(12);
    try (TestIdp idp = TestIdp.start("https://sso.portal-user-keys.test/realms/corp");
        Browser browser = Browser.open(service.baseUrl())) {
      AdminClient admin = service.admin();
      String idpId =
          admin
              .call(
                  "POST",
                  "/v1/idps",
                  Map.of(
                      "issuer",
                      idp.issuer(),
                      "jwks_url",
                      idp.jwksUrl(),
                      "audiences",
                      List.of(TestIdp.AUDIENCE),
                      "algorithms",
                      List.of("RS256")))
              .path("idp_id")
              .asText();
      AdminClient.App app = admin.createApp("portal-user-keys-" + RandomHex.of(4));
      String allowancePath = "/v1/apps/" + app.appId + "/user-secret-allowances/datadog";

      PortalSignIn.signIn(browser, service.adminKey());
      browser.go("/portal/apps/" + app.appId);
      browser.submit("#user-keys");
      assertThat(browser.heading()).startsWith("Keys users upload");
      assertThat(browser.text("#no-allowances")).contains("cannot upload keys");
      assertThat(browser.findAll("#provider option[value='custom']"))
          .as("custom has no catalog entry to bound where a user's key may go")
          .isEmpty();
      browser.find("#provider option[value='datadog']").click();
      browser.submit("#choose-provider button[type=submit]");
      assertThat(browser.path()).contains("provider=datadog");

      browser.find("#idp-" + idpId).click();
      browser.type("#destinations", "https://api.datadoghq.eu");
      assertThat(browser.find("#header-DD-APPLICATION-KEY").isSelected()).isTrue();
      browser.find("#header-DD-APPLICATION-KEY").click();
      browser.type("#max_per_user", "2");
      browser.submit("#save-allowance");
      assertThat(browser.text("#flash"))
          .contains("may upload Datadog keys", "https://api.datadoghq.eu", "up to 2 per user");
      assertThat(browser.text("#allowance-datadog"))
          .contains(idpId, "https://api.datadoghq.eu", "DD-API-KEY")
          .doesNotContain("DD-APPLICATION-KEY");
      JsonNode allowed = admin.call("GET", allowancePath, null);
      assertThat(allowed.path("destinations").toString())
          .isEqualTo("[\"https://api.datadoghq.eu\"]");
      assertThat(allowed.path("injection").path("headers").size()).isEqualTo(1);
      assertThat(allowed.path("idp_ids").toString()).isEqualTo("[\"" + idpId + "\"]");
      assertThat(allowed.path("max_per_user").asInt()).isEqualTo(2);

      HttpResponse<String> upload =
          appCall(
              "PUT",
              "/v1/user-secrets/datadog",
              app.apiKey,
              Map.of("identity", idp.token("alice"), "credential", userKey));
      assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
      JsonNode withKey = admin.call("GET", allowancePath, null);
      assertThat(withKey.path("stored_keys").asInt()).isOne();

      browser.go("/portal/apps/" + app.appId + "/user-keys");
      assertThat(browser.text("#stored-datadog")).isEqualTo("1");
      assertThat(
              browser.script(
                  "return [...document.querySelectorAll('input, select, textarea')]"
                      + ".filter(e => e.type !== 'hidden' && !e.labels.length).length"))
          .as("every field has a label")
          .isEqualTo(0L);
      browser.submit("#change-datadog");
      assertThat(browser.find("#destinations").getAttribute("value"))
          .isEqualTo("https://api.datadoghq.eu");
      assertThat(browser.find("#header-DD-APPLICATION-KEY").isSelected()).isFalse();
      assertThat(browser.find("#idp-" + idpId).isSelected()).isTrue();
      browser.screenshot("user-keys");
      browser.type("#destinations", "https://collector.example.com");
      browser.submit("#save-allowance");
      assertThat(browser.find("#flash").getAttribute("class")).contains("error");
      assertThat(browser.text("#flash"))
          .contains("destinations[0] is wider than provider 'datadog' allows");
      assertThat(admin.call("GET", allowancePath, null)).as("nothing changed").isEqualTo(withKey);

      browser.find("#idp-" + idpId).click();
      browser.submit("#save-allowance");
      assertThat(browser.text("#flash")).contains("idp_ids must list 1 to 16");
      assertThat(admin.call("GET", allowancePath, null)).as("nothing changed").isEqualTo(withKey);

      browser.find("#destinations").clear();
      browser.find("#header-DD-APPLICATION-KEY").click();
      browser.type("#max_per_user", "3");
      browser.submit("#save-allowance");
      assertThat(browser.find("#flash").getAttribute("class")).contains("ok");
      JsonNode widened = admin.call("GET", allowancePath, null);
      assertThat(widened.path("destinations").size()).as("the catalog's destinations").isEqualTo(6);
      assertThat(widened.path("injection").path("headers").size()).isEqualTo(2);
      assertThat(widened.path("max_per_user").asInt()).isEqualTo(3);
      assertThat(widened.path("stored_keys").asInt()).as("the uploaded key moved with it").isOne();
      browser.assertHoldsNone("user keys page", List.of(userKey, app.apiKey, service.adminKey()));

      browser.find("#confirm-datadog").click();
      browser.submit("#remove-datadog");
      assertThat(browser.text("#flash"))
          .contains("may no longer upload datadog keys", "1 uploaded key(s) deleted");
      assertThat(browser.text("#no-allowances")).isNotBlank();
      assertThat(
              admin
                  .call("GET", "/v1/apps/" + app.appId + "/user-secret-allowances", null)
                  .path("allowances")
                  .size())
          .isZero();
      HttpResponse<String> after =
          appCall(
              "POST",
              "/v1/user-secrets/datadog/status",
              app.apiKey,
              Map.of("identity", idp.token("alice")));
      assertThat(JSON.readTree(after.body()).path("code").asText())
          .isEqualTo("provider_not_allowed");
      browser.assertHoldsNone("after removal", List.of(userKey, app.apiKey, service.adminKey()));
    }
  }

  /** A call of the app's backend with its app key, as a backend without the agent makes it. */
  private static HttpResponse<String> appCall(
      String method, String path, String appKey, Map<String, String> body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + appKey)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }
}
