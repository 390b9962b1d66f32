package dev.alter.it.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.SharedResolverService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core flows with JavaScript switched off: the script only enhances (copy buttons, the grant
 * form's principal fields), so signing in, storing a custom credential, granting, updating the
 * credential, revoking and signing out all work without it.
 */
class PortalWithoutJavaScriptTest {
  private static ResolverServiceProcess service;

  @BeforeAll
  static void start() {
    Browser.requireInstalled();
    service = SharedResolverService.get();
  }

  @Test
  void storeGrantRotateRevokeAndSignOutWorkWithoutJavaScript() {
    String credential = "nojs" + RandomHex.of(16);
    String rotated = "nojs" + RandomHex.of(16);
    try (Browser browser = Browser.withoutJavaScript(service.baseUrl())) {
      PortalSignIn.signIn(browser, service.adminKey());
      assertThat(browser.heading()).isEqualTo("Overview");

      browser.go("/portal/apps");
      browser.type("#app-name", "portal-nojs-" + RandomHex.of(4));
      browser.submit("form[action='/portal/apps'] button[type=submit]");
      assertThat(browser.find("button[data-copy='new-app-key']").isDisplayed())
          .as("no script, no copy button")
          .isFalse();
      String keyId = browser.text("#new-key-id");
      browser.submit("#continue");
      String appPath = browser.path();
      browser.find("#confirm-" + keyId).click();
      browser.submit("button[aria-label='Revoke key " + keyId + "']");
      assertThat(browser.text("#flash")).isEqualTo("App key " + keyId + " revoked.");
      browser.go("/portal/no-such-page");
      assertThat(browser.text("#error-message")).isEqualTo("There is no such page.");
      browser.go(appPath);
      browser.submit("#new-secret");
      browser.submit("#provider-custom");
      browser.type("#label", "custom no-js");
      browser.type("#credential", credential);
      browser.find("#injection_type option[value=header]").click();
      browser.type("#header_name", "X-Api-Key");
      browser.type("#header_template", "{credential}");
      browser.type("#destinations", "https://api.example.com");
      browser.submit("#store");
      assertThat(browser.text("#flash")).startsWith("Stored. Fingerprint");
      assertThat(browser.text("main")).contains("header X-Api-Key: {credential}");
      String secretPath = browser.path();

      // with no script every principal field is visible; the system grant ignores the others
      assertThat(browser.find("#user_id").isDisplayed()).isTrue();
      browser.type("#grant_label", "no-js");
      browser.submit("#create-grant");
      String grant = browser.text("#grant-id");
      assertThat(grant).startsWith("grt_");

      browser.go(secretPath);
      browser.type("#rotate_credential", rotated);
      browser.submit("#rotate");
      assertThat(browser.text("#secret-version")).isEqualTo("2");

      browser.go("/portal/grants/" + grant);
      browser.submit("#revoke-link");
      browser.submit("#confirm-revoke");
      assertThat(browser.text("#grant-status")).startsWith("revoked");
      assertThat(browser.driver.getPageSource()).doesNotContain(credential).doesNotContain(rotated);

      browser.submit(".sign-out button");
      assertThat(browser.path()).startsWith("/portal/sign-in");
    }
  }
}
