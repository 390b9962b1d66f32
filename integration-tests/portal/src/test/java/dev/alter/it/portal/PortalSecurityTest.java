package dev.alter.it.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.SharedResolverService;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.NoAlertPresentException;

/**
 * The portal's page security in a real browser: operator text is escaped, state-changing posts need
 * the session's CSRF token, every page carries a strict CSP and no inline script or style, the
 * session cookie is HttpOnly and SameSite=Strict, sign-out ends the session, failed sign-ins are
 * refused and audited without the text typed.
 */
class PortalSecurityTest {
  private static final String XSS_LABEL = "<script>alert(1)</script>";
  private static final String XSS_GRANT_LABEL = "<img src=x onerror=alert(2)>";

  private static ResolverServiceProcess service;
  private static AdminClient admin;
  private static PortalRequests requests;

  @BeforeAll
  static void start() {
    Browser.requireInstalled();
    service = SharedResolverService.get();
    admin = service.admin();
    requests = new PortalRequests(service.baseUrl());
  }

  @Test
  void operatorTextRendersAsTextNotMarkup() {
    AdminClient.App app = admin.createApp("portal-xss-" + RandomHex.of(4));
    String secret =
        admin.storeSecretId(
            NewSecret.customHeader(app.appId, "x" + RandomHex.of(16), "X-Api-Key", "{credential}")
                .destinations("https://api.example.com")
                .label(XSS_LABEL));
    admin.createSystemGrant(secret, XSS_GRANT_LABEL);

    try (Browser browser = Browser.open(service.baseUrl())) {
      PortalSignIn.signIn(browser, service.adminKey());
      browser.go("/portal/secrets/" + secret);
      assertThat(browser.heading()).isEqualTo("Secret " + XSS_LABEL);
      assertThat(browser.text("#grants + table")).contains(XSS_GRANT_LABEL);
      assertThat(browser.findAll("main script, main img")).isEmpty();
      assertThatThrownBy(() -> browser.driver.switchTo().alert())
          .isInstanceOf(NoAlertPresentException.class);
      assertThat(browser.driver.getPageSource()).doesNotContain(XSS_LABEL);
      browser.go("/portal/grants?app_id=" + app.appId);
      assertThat(browser.text("main table")).contains(XSS_GRANT_LABEL);
      assertThat(browser.findAll("main img")).isEmpty();
    }
  }

  @Test
  void aStateChangingPostWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
    String name = "csrf-" + RandomHex.of(6);
    try (Browser browser = Browser.open(service.baseUrl())) {
      PortalSignIn.signIn(browser, service.adminKey());
      Cookie session = browser.sessionCookie();
      assertThat(session.isHttpOnly()).isTrue();
      assertThat(session.getSameSite()).isEqualTo("Strict");
      assertThat(session.getPath()).isEqualTo("/portal");
      String cookie = "alter_portal=" + session.getValue();

      HttpResponse<String> without = requests.post("/portal/apps", cookie, Map.of("name", name));
      assertThat(without.statusCode()).isEqualTo(403);
      assertThat(without.body()).contains("CSRF check failed");
      HttpResponse<String> wrong =
          requests.post("/portal/apps", cookie, Map.of("name", name, "csrf", "forged"));
      assertThat(wrong.statusCode()).isEqualTo(403);

      // the same in the browser: the form with its token removed
      browser.go("/portal/apps");
      browser.script("document.querySelector('main input[name=csrf]').remove()");
      browser.type("#app-name", name);
      browser.submit("form[action='/portal/apps'] button[type=submit]");
      assertThat(browser.text("#error-message")).contains("CSRF check failed");

      assertThat(admin.call("GET", "/v1/apps", null).toString()).doesNotContain(name);
    }
  }

  @Test
  void everyPageHasAStrictPolicyAndNoInlineScriptOrStyle() {
    AdminClient.App app = admin.createApp("portal-csp-" + RandomHex.of(4));
    String secret =
        admin.storeSecretId(NewSecret.provider(app.appId, "stripe", "sk_test_" + RandomHex.of(16)));
    String grant = admin.createSystemGrant(secret, "csp");
    List<String> pages =
        List.of(
            "/portal/",
            "/portal/apps",
            "/portal/apps/" + app.appId,
            "/portal/apps/" + app.appId + "/secrets/new",
            "/portal/apps/" + app.appId + "/secrets/new?provider=aws",
            "/portal/apps/" + app.appId + "/secrets/new?provider=custom",
            "/portal/apps/" + app.appId + "/secrets/new?provider=twilio",
            "/portal/apps/" + app.appId + "/user-keys",
            "/portal/apps/" + app.appId + "/user-keys?provider=datadog",
            "/portal/secrets/" + secret,
            "/portal/secrets/" + secret + "/delete",
            "/portal/grants",
            "/portal/grants/" + grant,
            "/portal/grants/" + grant + "/revoke",
            "/portal/audit",
            "/portal/identity",
            "/portal/master-keys");
    try (Browser browser = Browser.open(service.baseUrl())) {
      PortalSignIn.signIn(browser, service.adminKey());
      String cookie = "alter_portal=" + browser.sessionCookie().getValue();
      for (String page : pages) {
        HttpResponse<String> response = requests.get(page, cookie);
        assertThat(response.statusCode()).as(page).isEqualTo(200);
        String csp = response.headers().firstValue("Content-Security-Policy").orElse("");
        assertThat(csp)
            .as(page)
            .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'")
            .doesNotContain("unsafe-inline");
        assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");

        browser.go(page);
        assertThat(browser.script("return [...document.scripts].filter(s => !s.src).length"))
            .as(page)
            .isEqualTo(0L);
        assertThat(browser.findAll("style, [style]")).as(page).isEmpty();
        assertThat(
                browser.script(
                    "return [...document.querySelectorAll('input, select, textarea')]"
                        + ".filter(e => e.type !== 'hidden' && !e.labels.length).length"))
            .as("%s: every field has a label", page)
            .isEqualTo(0L);
      }
      HttpResponse<String> signIn = requests.get("/portal/sign-in", null);
      assertThat(signIn.headers().firstValue("Content-Security-Policy").orElse(""))
          .contains("frame-ancestors 'none'");
    }
  }

  @Test
  void signOutEndsTheSession() {
    try (Browser browser = Browser.open(service.baseUrl())) {
      PortalSignIn.signIn(browser, service.adminKey());
      String cookie = "alter_portal=" + browser.sessionCookie().getValue();
      assertThat(requests.get("/portal/apps", cookie).statusCode()).isEqualTo(200);

      browser.submit(".sign-out button");
      assertThat(browser.path()).startsWith("/portal/sign-in");
      assertThat(browser.sessionCookie()).isNull();
      browser.go("/portal/apps");
      assertThat(browser.path()).startsWith("/portal/sign-in");

      HttpResponse<String> stale = requests.get("/portal/apps", cookie);
      assertThat(stale.statusCode()).isEqualTo(303);
      assertThat(stale.headers().firstValue("Location").orElse("")).startsWith("/portal/sign-in");
    }
  }

  @Test
  void revokingTheAdminKeyEndsItsPortalSessions() {
    com.fasterxml.jackson.databind.JsonNode second = admin.call("POST", "/v1/admin-keys", Map.of());
    try (Browser browser = Browser.open(service.baseUrl())) {
      PortalSignIn.signIn(browser, second.path("key").asText());
      assertThat(browser.heading()).isEqualTo("Overview");
      browser.assertHoldsNone("signed in with a second key", List.of(second.path("key").asText()));

      admin.call("DELETE", "/v1/admin-keys/" + second.path("key_id").asText(), null);
      browser.go("/portal/apps");
      assertThat(browser.path()).startsWith("/portal/sign-in");
    }
  }

  @Test
  void aFailedSignInIsRefusedAndAuditedWithoutTheTextTyped() {
    String typed = "alter_key_admin_" + RandomHex.of(20);
    try (Browser browser = Browser.open(service.baseUrl())) {
      browser.go("/portal/sign-in");
      browser.type("#admin_key", typed);
      browser.submit("form[action='/portal/sign-in'] button[type=submit]");
      assertThat(browser.text("#sign-in-message")).isEqualTo("That is not a live admin key.");
      assertThat(browser.sessionCookie()).isNull();
      browser.assertHoldsNone("failed sign-in", List.of(typed));
      browser.screenshot("sign-in");
    }
    List<?> denied = admin.audit(Map.of("action", "portal.sign_in", "outcome", "denied"));
    assertThat(denied).isNotEmpty();
    assertThat(denied.toString()).doesNotContain(typed);
    assertThat(service.log()).doesNotContain(typed);
  }
}
