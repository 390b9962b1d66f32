package dev.alter.identity;

import dev.alter.contract.ErrorCode;

/**
 * {@code alter-grant: @provider} could not pick exactly one grant: {@link
 * ErrorCode#GRANT_NOT_FOUND} when none matches the identity, {@link ErrorCode#AMBIGUOUS_GRANT} when
 * several do.
 */
public final class GrantSelectionFailed extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode errorCode;
  private final int matches;

  GrantSelectionFailed(ErrorCode errorCode, int matches, String message) {
    super(message, null, false, true);
    this.errorCode = errorCode;
    this.matches = matches;
  }

  public ErrorCode errorCode() {
    return errorCode;
  }

  /** How many grants matched: 0 for not found, 2 or more for ambiguous. */
  public int matches() {
    return matches;
  }
}
