package dev.alter.identity;

import java.util.Locale;

/**
 * Why an identity does not satisfy a grant's principal; audited next to {@code principal_mismatch}.
 */
public enum MismatchReason {
  /** The grant names a user, group or agent, and no {@code alter-identity} was sent. */
  IDENTITY_REQUIRED,
  /** A user/group grant got an agent token, or an agent grant got a user's JWT. */
  WRONG_IDENTITY_KIND,
  /** The token was issued by another identity provider than the grant's. */
  OTHER_IDP,
  /** The token names another user than the grant's. */
  OTHER_USER,
  /** The token does not list the grant's group (e.g. the user was removed from it). */
  GROUP_NOT_IN_TOKEN,
  /** The agent token belongs to another agent than the grant's. */
  OTHER_AGENT;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
