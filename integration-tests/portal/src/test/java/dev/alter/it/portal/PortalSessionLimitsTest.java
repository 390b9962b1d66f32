package dev.alter.it.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.SharedResolverService;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Session expiry and the sign-in rate limit, on a service of their own: a 5-second idle timeout,
 * and an address that has used up its failed sign-ins (which would lock the shared service's other
 * tests out).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalSessionLimitsTest {
  private static ResolverServiceProcess service;
  private static PortalRequests requests;

  @BeforeAll
  static void start() {
    Browser.requireInstalled();
    service =
        ResolverServiceProcess.start(
            SharedResolverService.workDirectory("portal-limits"),
            null,
            Map.of("ALTER_PORTAL_IDLE_SECONDS", "5"));
    requests = new PortalRequests(service.baseUrl());
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  @Order(1)
  void anIdleSessionExpiresAndTheOperatorSignsInAgain() throws InterruptedException {
    try (Browser browser = Browser.open(service.baseUrl())) {
      PortalSignIn.signIn(browser, service.adminKey());
      assertThat(browser.heading()).isEqualTo("Overview");
      Thread.sleep(6_500);
      browser.go("/portal/apps");
      assertThat(browser.path()).startsWith("/portal/sign-in");
      assertThat(browser.text("#sign-in-message")).contains("Your session has ended");

      PortalSignIn.signIn(browser, service.adminKey());
      assertThat(browser.heading()).isEqualTo("Overview");
    }
  }

  @Test
  @Order(2)
  void failedSignInsAreRateLimitedPerAddress() {
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> refused = requests.signIn("alter_key_admin_" + RandomHex.of(20));
      assertThat(refused.statusCode()).as("failure %d", i + 1).isEqualTo(401);
    }
    HttpResponse<String> limited = requests.signIn("alter_key_admin_" + RandomHex.of(20));
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    assertThat(limited.body()).contains("Too many failed sign-ins");
    // even the right key waits: the limit is on the address, not on guessing
    assertThat(requests.signIn(service.adminKey()).statusCode()).isEqualTo(429);
    assertThat(
            service.admin().audit(Map.of("action", "portal.sign_in", "outcome", "denied")).size())
        .isEqualTo(10);
  }
}
