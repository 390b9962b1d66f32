package dev.alter.service.portal;

/**
 * What the layout of every page needs: its title, the navigation section to highlight, the
 * session's CSRF token for the forms on it (null when signed out) and a one-time notice.
 */
public record PageFrame(String title, String section, String csrf, PortalSessions.Flash flash) {
  public boolean signedIn() {
    return csrf != null;
  }
}
