package dev.alter.it.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ScriptedJdkClient;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.HostsFile;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import dev.alter.it.harness.TestCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A grant's policy in the portal, in a real browser against the real service: set when the grant is
 * made, shown on every page that shows the grant (the grant, the grants list, the secret's grants,
 * the revoke confirmation), changed in place with the same grant id, bad policies refused with a
 * readable reason beside what was typed and nothing changed, each change in the audit; and an app
 * under the real agent that used the grant is refused with {@code policy_violation} once the policy
 * no longer allows its call, nothing sent.
 */
class PortalGrantPolicyTest {
  private static final String HOST = "api.datadoghq.com";
  private static final Duration TTL_PASSED = Duration.ofMillis(5_800);

  private static ResolverServiceProcess service;
  private static RecordingServer provider;
  private static TestCertificate certificate;
  private static HostsFile hosts;

  @BeforeAll
  static void start() {
    Browser.requireInstalled();
    service = SharedResolverService.get();
    Path workDir = SharedResolverService.workDirectory("portal-policy");
    certificate = TestCertificate.generate(workDir, List.of(HOST));
    hosts = HostsFile.loopback(workDir, List.of(HOST));
    provider = RecordingServer.https(certificate, HOST);
  }

  @AfterAll
  static void stop() {
    if (provider != null) {
      provider.close();
    }
  }

  @Test
  void anOperatorSetsSeesAndChangesAGrantsPolicyAndTheAppFollowsIt() throws InterruptedException {
    AdminClient admin = service.admin();
    AdminClient.App app = admin.createApp("portal-policy-" + RandomHex.of(4));
    String key = "dd" + RandomHex.of(16);
    String secret =
        admin.storeSecretId(
            NewSecret.provider(app.appId, "datadog", key)
                .destinations(provider.origin())
                .ttlSeconds(5));
    List<String> secrets = List.of(service.adminKey(), key, app.apiKey);

    try (Browser browser = Browser.open(service.baseUrl());
        RunningChild child = startApp(app.apiKey)) {
      PortalSignIn.signIn(browser, service.adminKey());

      browser.go("/portal/secrets/" + secret);
      browser.type("#grant_label", "events-reader");
      browser.type("#grant_policy", "{\"requests\": [\"GET /api/v1/events\"]}");
      browser.submit("#create-grant");
      String grant = browser.text("#grant-id");
      assertThat(grant).startsWith("grt_");
      assertThat(browser.text("#grant-policy")).isEqualTo("Only GET /api/v1/events");
      assertThat(browser.find("#policy").getDomProperty("value"))
          .as("the edit form starts from the policy")
          .contains("\"requests\"", "GET /api/v1/events");
      browser.screenshot("grant-policy");

      assertThat(send(child, grant, "/api/v1/events").path("status").asInt()).isEqualTo(200);
      long resolved = System.nanoTime();
      assertThat(provider.singleRequest().header("DD-API-KEY")).isEqualTo(key);

      browser.go("/portal/grants?app_id=" + app.appId);
      assertThat(browser.text("#main")).contains(grant, "Only GET /api/v1/events");
      browser.go("/portal/secrets/" + secret);
      assertThat(browser.text("#grants + table")).contains("Only GET /api/v1/events");

      String before = admin.call("GET", "/v1/grants/" + grant, null).path("policy").toString();
      for (String[] bad :
          new String[][] {
            {
              "{\"windows\":[{\"days\":[\"mon-fri\"],\"from\":\"18:00\",\"to\":\"08:00\","
                  + "\"zone\":\"Europe/Berlin\"}]}",
              "policy.windows[0] from must be before to"
            },
            {
              "{\"windows\":[{\"days\":[\"mon\"],\"from\":\"08:00\",\"to\":\"18:00\","
                  + "\"zone\":\"Europe/Atlantis\"}]}",
              "policy.windows[0].zone is not a known IANA time zone"
            },
            {"{\"networks\":[\"10.0.0.1/8\"]}", "policy.networks[0]"},
            {"{\"requests\":[\"GET /repos/a*/b\"]}", "policy.requests[0]"},
            {"{\"requests\": [\"GET /api/v1/events\"", "is not a JSON object (line 1"},
            {"{\"request\": []}", "has a field the policy format does not take; known fields:"},
            {"{\"requests\": \"GET /api/v1/events\"}", "policy.requests has the wrong kind"},
          }) {
        browser.go("/portal/grants/" + grant);
        browser.type("#policy", bad[0]);
        browser.submit("#save-policy");
        assertThat(browser.heading()).isEqualTo("Grant events-reader");
        assertThat(browser.text("#flash"))
            .as("refusal of %s", bad[0])
            .startsWith("Policy not changed: ")
            .contains(bad[1]);
        assertThat(browser.find("#policy").getDomProperty("value"))
            .as("what was typed stays in the form to be corrected")
            .isEqualTo(bad[0]);
        assertThat(browser.text("#grant-policy")).isEqualTo("Only GET /api/v1/events");
        assertThat(admin.call("GET", "/v1/grants/" + grant, null).path("policy").toString())
            .isEqualTo(before);
      }
      browser.screenshot("grant-policy-refused");
      assertThat(admin.audit(Map.of("grant_id", grant, "action", "grant.policy"))).isEmpty();

      browser.go("/portal/grants/" + grant);
      browser.type(
          "#policy",
          "{\"requests\": [\"GET /api/v2/series\", \"POST /api/v2/series\"],"
              + " \"windows\": [{\"days\": [\"mon-fri\"], \"from\": \"00:00\", \"to\": \"24:00\","
              + " \"zone\": \"Europe/Berlin\"}, {\"days\": [\"sat\", \"sun\"], \"from\": \"00:00\","
              + " \"to\": \"24:00\", \"zone\": \"Europe/Berlin\"}],"
              + " \"rate_limits\": [{\"requests\": 60, \"per_seconds\": 60}]}");
      browser.submit("#save-policy");
      assertThat(browser.text("#flash")).startsWith("Policy changed (same grant id)");
      assertThat(browser.text("#grant-id")).isEqualTo(grant);
      assertThat(browser.text("#grant-policy"))
          .contains(
              "Window mon–fri 00:00–24:00 (Europe/Berlin)",
              "Window sat, sun 00:00–24:00 (Europe/Berlin)",
              "At most 60 requests per 60 s per grant",
              "Only GET /api/v2/series, POST /api/v2/series");
      JsonNode changed = admin.call("GET", "/v1/grants/" + grant, null);
      assertThat(changed.path("grant_id").asText()).isEqualTo(grant);
      assertThat(changed.path("policy").path("requests").toString())
          .isEqualTo("[\"GET /api/v2/series\",\"POST /api/v2/series\"]");
      browser.assertHoldsNone("policy changed", secrets);

      browser.go("/portal/grants/" + grant + "/revoke");
      assertThat(browser.text("#grant-policy"))
          .startsWith("Policy: ")
          .contains("Only GET /api/v2/series");

      sleepUntil(resolved, TTL_PASSED);
      provider.clear();
      JsonNode refused = send(child, grant, "/api/v1/events");
      assertThat(refused.path("error").path("code").asText())
          .as("report %s", refused)
          .isEqualTo("policy_violation");
      assertThat(refused.path("error").path("message").asText())
          .contains(grant, "GET /api/v1/events");
      assertThat(provider.requests()).isEmpty();
      assertThat(send(child, grant, "/api/v2/series").path("status").asInt()).isEqualTo(200);

      browser.go("/portal/audit?grant_id=" + grant);
      assertThat(browser.text("#audit-table")).contains("grant.policy", "GET /api/v2/series");
      List<JsonNode> changes = admin.audit(Map.of("grant_id", grant, "action", "grant.policy"));
      assertThat(changes).hasSize(1);
      assertThat(changes.get(0).path("actor").asText()).isNotBlank();

      browser.go("/portal/grants/" + grant);
      browser.type("#policy", " ");
      browser.submit("#save-policy");
      assertThat(browser.text("#flash")).startsWith("Policy removed");
      assertThat(browser.text("#grant-policy")).startsWith("none");
      assertThat(admin.call("GET", "/v1/grants/" + grant, null).path("policy").isNull()).isTrue();
      assertThat(admin.audit(Map.of("grant_id", grant, "action", "grant.policy"))).hasSize(2);

      browser.go("/portal/grants/" + grant + "/revoke");
      browser.submit("#confirm-revoke");
      assertThat(browser.findAll("#policy-form")).isEmpty();
      assertThat(browser.text("#main")).contains("A revoked grant's policy is final.");
      browser.assertHoldsNone("grant revoked", secrets);
    }
  }

  private static RunningChild startApp(String appKey) {
    RunningChild running =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_17)
            .main(ScriptedJdkClient.class, "send", "HTTP_1_1")
            .trusting(certificate)
            .hosts(hosts)
            .withAgent()
            .resolver(service.baseUrl(), appKey)
            .start();
    running.nextReport(Duration.ofSeconds(30));
    return running;
  }

  private static JsonNode send(RunningChild app, String grant, String path) {
    return app.ask(
        "request " + ChildRequest.get(provider.origin() + path).grant(grant).toLine(),
        Duration.ofSeconds(40));
  }

  private static void sleepUntil(long startNanos, Duration offset) throws InterruptedException {
    long wait = startNanos + offset.toNanos() - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }
}
