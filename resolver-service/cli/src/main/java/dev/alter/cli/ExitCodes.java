package dev.alter.cli;

/**
 * The CLI's exit codes. Scripts branch on these, so they are part of the CLI's contract and are
 * documented in README-CLI.md.
 */
public final class ExitCodes {
  public static final int OK = 0;

  /** A bug in the CLI itself (never expected); the message still carries no credential. */
  public static final int UNEXPECTED = 1;

  /** The command line is wrong: unknown option, missing argument, bad option value. */
  public static final int USAGE = 2;

  /** The input was rejected: validation_failed, not_found, conflict, empty credential, … */
  public static final int INVALID_INPUT = 3;

  /** Authentication or authorization failed (401/403), or no admin key is configured. */
  public static final int AUTH = 4;

  /** The service could not be reached, timed out or answered 5xx. */
  public static final int UNAVAILABLE = 5;

  private ExitCodes() {}

  /** Exit code for an HTTP error status the admin API answered with. */
  public static int forHttpStatus(int status) {
    if (status == 401 || status == 403) {
      return AUTH;
    }
    if (status >= 500) {
      return UNAVAILABLE;
    }
    return INVALID_INPUT;
  }
}
