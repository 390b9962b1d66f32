package dev.alter.it.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.SharedResolverService;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Managed agents (token shown once, rotated, revoked), the master-key rewrap button, and the
 * audit's filter form and CSV of the filtered view, in the browser.
 */
class PortalIdentityAndOperationsTest {
  private static ResolverServiceProcess service;

  @BeforeAll
  static void start() {
    Browser.requireInstalled();
    service = SharedResolverService.get();
  }

  @Test
  void agentTokensAreShownOnceRotatedAndRevokedAndTheAuditExportsTheFilteredView() {
    String label = "bot-" + RandomHex.of(4);
    try (Browser browser = Browser.open(service.baseUrl())) {
      PortalSignIn.signIn(browser, service.adminKey());
      browser.go("/portal/identity");
      browser.type("#agent_label", label);
      browser.submit("form[action='/portal/agents'] button[type=submit]");
      assertThat(browser.heading()).isEqualTo("Agent token");
      String first = browser.text("#agent-token");
      assertThat(first).isNotBlank();
      String agentId = browser.text(".once code:not(#agent-token)");
      assertThat(agentId).startsWith("agt_");

      browser.go("/portal/identity");
      browser.assertHoldsNone("identity page", List.of(first));
      browser.submit("form[action='/portal/agents/" + agentId + "/token'] button");
      String second = browser.text("#agent-token");
      assertThat(second).isNotBlank().isNotEqualTo(first);

      browser.go("/portal/identity");
      browser.find("#confirm-" + agentId).click();
      browser.submit("form[action='/portal/agents/" + agentId + "/revoke'] button");
      assertThat(browser.text("#flash")).contains(agentId, "revoked");
      browser.assertHoldsNone("agent revoked", List.of(first, second, service.adminKey()));

      browser.go("/portal/master-keys");
      browser.submit("#rewrap");
      assertThat(browser.text("#flash")).startsWith("Rewrapped ");

      browser.go("/portal/audit");
      browser.find("#f_action option[value='agent.rotate_token']").click();
      browser.submit("#audit-filters button[type=submit]");
      assertThat(browser.path()).contains("action=agent.rotate_token");
      assertThat(browser.text("#audit-table")).contains("agent.rotate_token");
      assertThat(browser.text("#audit-table")).doesNotContain("agent.create");
      String csvHref = browser.find("#csv").getAttribute("href");
      assertThat(csvHref).contains("/portal/audit.csv?action=agent.rotate_token");

      String cookie = "alter_portal=" + browser.sessionCookie().getValue();
      HttpResponse<String> csv =
          new PortalRequests(service.baseUrl())
              .get(csvHref.substring(service.baseUrl().length()), cookie);
      assertThat(csv.statusCode()).isEqualTo(200);
      assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
      assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("attachment");
      String[] lines = csv.body().split("\r\n");
      assertThat(lines[0]).startsWith("event_id,time,actor,action,outcome");
      assertThat(lines).hasSizeGreaterThan(1);
      for (int i = 1; i < lines.length; i++) {
        assertThat(lines[i]).contains(",agent.rotate_token,");
      }
      assertThat(csv.body()).doesNotContain(first).doesNotContain(second);
    }
  }
}
