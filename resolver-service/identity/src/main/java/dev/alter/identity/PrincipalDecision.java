package dev.alter.identity;

import dev.alter.contract.ErrorCode;
import java.util.Optional;

/**
 * Whether an identity satisfies a grant's principal. A mismatch maps to {@link
 * ErrorCode#PRINCIPAL_MISMATCH}; its {@link #detail()} names no user, group or token and may be
 * returned to the caller.
 */
public record PrincipalDecision(boolean allowed, Optional<MismatchReason> reason, String detail) {

  static PrincipalDecision allow() {
    return new PrincipalDecision(
        true, Optional.empty(), "the identity satisfies the grant's principal");
  }

  static PrincipalDecision mismatch(MismatchReason reason, String detail) {
    return new PrincipalDecision(false, Optional.of(reason), detail);
  }

  /** {@link ErrorCode#PRINCIPAL_MISMATCH} for a mismatch; empty when allowed. */
  public Optional<ErrorCode> errorCode() {
    return allowed ? Optional.empty() : Optional.of(ErrorCode.PRINCIPAL_MISMATCH);
  }
}
