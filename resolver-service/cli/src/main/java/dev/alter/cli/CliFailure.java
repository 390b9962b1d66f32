package dev.alter.cli;

import dev.alter.contract.ErrorCode;

/**
 * A failure the CLI reports to the operator as {@code error: <code>: <detail>} plus a hint, and
 * turns into an exit code. Messages are built from identifiers and service problem details only,
 * never from credential or key values.
 */
public final class CliFailure extends RuntimeException {
  private final String code;
  private final int exitCode;
  private final String hint;

  public CliFailure(String code, int exitCode, String detail, String hint) {
    super(detail, null, false, false);
    this.code = code;
    this.exitCode = exitCode;
    this.hint = hint;
  }

  /** Bad local input (empty credential, unreadable file, …): exit code 3. */
  public static CliFailure invalidInput(String detail, String hint) {
    return new CliFailure(
        ErrorCode.VALIDATION_FAILED.code(), ExitCodes.INVALID_INPUT, detail, hint);
  }

  public String code() {
    return code;
  }

  public int exitCode() {
    return exitCode;
  }

  public String detail() {
    return getMessage();
  }

  /** What to do about it; may be null. */
  public String hint() {
    return hint;
  }
}
