package dev.alter.it.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ScriptedJdkClient;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.HostsFile;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import dev.alter.it.harness.TestCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's whole flow in the portal, in a real browser, against the real service, with an app
 * under the real agent using what the portal made: sign in, create an app and its key, store a
 * Datadog key, create a system grant and read its id from the page; the app's tagged request
 * reaches the stand-in Datadog with the stored key; "Update credential" → the next resolve injects
 * the new value; revoke → the app's next tagged request fails with {@code grant_revoked}. After
 * every step neither the credentials nor the admin key are in the page, the cookies or the
 * browser's storage. The screenshots of the README come from here.
 */
class PortalFlowTest {
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
    Path workDir = SharedResolverService.workDirectory("portal-flow");
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
  void storeGrantRotateRevokeInThePortalWhileAnAppUsesTheGrant() throws InterruptedException {
    String firstKey = "dd" + RandomHex.of(16);
    String secondKey = "dd" + RandomHex.of(16);
    List<String> secrets = new ArrayList<>(List.of(service.adminKey(), firstKey, secondKey));

    try (Browser browser = Browser.open(service.baseUrl())) {
      PortalSignIn.signIn(browser, service.adminKey());
      assertThat(browser.heading()).isEqualTo("Overview");
      browser.assertHoldsNone("signed in", secrets);
      browser.screenshot("overview");

      browser.go("/portal/apps");
      browser.type("#app-name", "portal-it-" + RandomHex.of(4));
      browser.submit("form[action='/portal/apps'] button[type=submit]");
      assertThat(browser.heading()).isEqualTo("New app key");
      String appKey = browser.text("#new-app-key");
      assertThat(appKey).startsWith("alter_key_app_");
      browser.assertHoldsNone("app created", secrets);
      browser.submit("#continue");
      String appPath = browser.path();
      browser.screenshot("app");

      browser.submit("#new-secret");
      assertThat(browser.heading()).isEqualTo("Choose a provider");
      assertThat(browser.text("#main")).contains("DD-API-KEY", "https://api.datadoghq.com");
      browser.screenshot("catalog");
      browser.submit("#provider-datadog");
      assertThat(browser.find("#credential").getAttribute("autocomplete"))
          .isEqualTo("new-password");
      assertThat(browser.find("#credential").getAttribute("type")).isEqualTo("password");
      browser.type("#label", "Datadog production");
      browser.type("#credential", firstKey);
      browser.type("#destinations", provider.origin());
      browser.type("#ttl_seconds", "5");
      browser.screenshot("store");
      browser.submit("#store");
      assertThat(browser.text("#flash")).startsWith("Stored. Fingerprint");
      String fingerprint = browser.text("#fingerprint");
      assertThat(fingerprint).isNotBlank();
      browser.assertHoldsNone("secret stored", secrets);
      String secretPath = browser.path();

      browser.find("#grant-form").isDisplayed();
      browser.type("#grant_label", "checkout-service");
      // the field's own value format (typing into it depends on the browser's locale)
      browser.script("document.getElementById('expires_at').value = '2099-12-31T23:59'");
      browser.submit("#create-grant");
      String grant = browser.text("#grant-id");
      assertThat(grant).startsWith("grt_");
      assertThat(browser.text("#grant-status")).isEqualTo("active");
      assertThat(browser.text("dl.facts")).contains("2099-12-31T23:59:00Z");
      assertThat(browser.find("button[data-copy='grant-id']").isDisplayed())
          .as("the script shows the copy button")
          .isTrue();
      browser.assertHoldsNone("grant created", secrets);
      browser.screenshot("grant");

      try (RunningChild app = startApp(appKey)) {
        assertThat(send(app, grant).path("status").asInt()).isEqualTo(200);
        long firstResolve = System.nanoTime();
        assertThat(lastReceivedKey()).isEqualTo(firstKey);

        browser.go(secretPath);
        browser.type("#rotate_credential", secondKey);
        browser.submit("#rotate");
        assertThat(browser.text("#flash")).contains("version 2");
        assertThat(browser.text("#secret-version")).isEqualTo("2");
        assertThat(browser.text("#fingerprint")).isNotEqualTo(fingerprint);
        browser.assertHoldsNone("credential updated", secrets);
        browser.screenshot("secret");

        sleepUntil(firstResolve, TTL_PASSED);
        assertThat(send(app, grant).path("status").asInt()).isEqualTo(200);
        long secondResolve = System.nanoTime();
        assertThat(lastReceivedKey()).isEqualTo(secondKey);

        browser.go("/portal/grants/" + grant);
        browser.submit("#revoke-link");
        assertThat(browser.heading()).isEqualTo("Revoke grant");
        browser.submit("#confirm-revoke");
        assertThat(browser.text("#grant-status")).startsWith("revoked");
        browser.assertHoldsNone("grant revoked", secrets);

        sleepUntil(secondResolve, TTL_PASSED);
        provider.clear();
        JsonNode refused = send(app, grant);
        assertThat(refused.path("error").path("code").asText())
            .as("report %s", refused)
            .isEqualTo("grant_revoked");
        assertThat(provider.requests()).isEmpty();
      }

      browser.go("/portal/audit?grant_id=" + grant);
      assertThat(browser.text("#audit-table")).contains("grant.revoke", "resolve");
      browser.assertHoldsNone("audit", secrets);
      browser.go("/portal/audit");
      browser.screenshot("audit");
      browser.go(appPath);
      browser.assertHoldsNone("app page", secrets);
      browser.go("/portal/identity");
      browser.screenshot("identity");
      browser.go("/portal/master-keys");
      browser.screenshot("master-keys");
      browser.assertHoldsNone("master keys", secrets);
    }
    String log = service.log();
    assertThat(log).doesNotContain(firstKey).doesNotContain(secondKey);
    for (String secret : List.of(firstKey, secondKey)) {
      assertThat(service.admin().audit(java.util.Map.of()).toString()).doesNotContain(secret);
    }
  }

  private static RunningChild startApp(String appKey) {
    ChildJvm child =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_17)
            .main(ScriptedJdkClient.class, "send", "HTTP_1_1")
            .trusting(certificate)
            .hosts(hosts)
            .withAgent()
            .resolver(service.baseUrl(), appKey);
    RunningChild running = child.start();
    running.nextReport(Duration.ofSeconds(30));
    return running;
  }

  private static JsonNode send(RunningChild app, String grant) {
    return app.ask(
        "request " + ChildRequest.get(provider.origin() + "/api/v1/events").grant(grant).toLine(),
        Duration.ofSeconds(40));
  }

  private static String lastReceivedKey() {
    List<RecordedRequest> all = provider.requests();
    return all.get(all.size() - 1).header("DD-API-KEY");
  }

  private static void sleepUntil(long startNanos, Duration offset) throws InterruptedException {
    long wait = startNanos + offset.toNanos() - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }
}
