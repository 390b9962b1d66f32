package dev.alter.it.portal;

import static org.assertj.core.api.Assertions.assertThat;

/** Signing in as an operator does: open the portal, get sent to sign in, paste the admin key. */
final class PortalSignIn {
  private PortalSignIn() {}

  static void signIn(Browser browser, String adminKey) {
    browser.go("/portal/");
    assertThat(browser.path()).startsWith("/portal/sign-in");
    browser.type("#admin_key", adminKey);
    browser.submit("form[action='/portal/sign-in'] button[type=submit]");
  }
}
