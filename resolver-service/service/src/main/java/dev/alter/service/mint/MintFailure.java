package dev.alter.service.mint;

import dev.alter.contract.ErrorCode;

/**
 * A token endpoint did not give a token. The message says what went wrong in the service's words:
 * never the endpoint's answer body, which may echo a secret.
 */
public final class MintFailure extends RuntimeException {
  private final ErrorCode code;

  public MintFailure(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
