package dev.alter.agent.resolver;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.contract.ErrorCode;

/**
 * Why a resolve failed, as a value that can be shared by every request waiting on the same resolve;
 * each waiter gets its own {@link AlterCredentialException} (with its own stack trace) from {@link
 * #toException}.
 */
public final class ResolveFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String wireCode;
  private final String grant;
  private final String detail;
  private final String fix;

  public ResolveFailure(ErrorCode code, String grant, String detail) {
    this(code, code.code(), grant, detail, code.fix());
  }

  ResolveFailure(ErrorCode code, String wireCode, String grant, String detail, String fix) {
    super(wireCode + (detail == null ? "" : ": " + detail), null, false, false);
    this.code = code;
    this.wireCode = wireCode;
    this.grant = grant;
    this.detail = detail;
    this.fix = fix;
  }

  /** From the service's problem JSON; unknown codes keep their wire form. */
  static ResolveFailure fromService(String wireCode, String grant, String detail) {
    ErrorCode code = ErrorCode.fromCode(wireCode);
    String stable = wireCode == null ? code.code() : wireCode;
    return new ResolveFailure(code, stable, grant, detail, code.fix());
  }

  public ErrorCode code() {
    return code;
  }

  /** The code as the service spelled it (an unknown code keeps its wire form). */
  String wireCode() {
    return wireCode;
  }

  /** What went wrong, without the code. */
  String detail() {
    return detail;
  }

  /**
   * True when the service could not give an answer (unreachable, timed out, store down, a master
   * key it was not given) as opposed to answering "no": only then may a stale cached credential
   * still be served.
   */
  public boolean serviceUnavailable() {
    return code == ErrorCode.RESOLVER_UNAVAILABLE
        || code == ErrorCode.STORE_UNAVAILABLE
        || code == ErrorCode.MASTER_KEY_MISSING
        || code == ErrorCode.INTERNAL_ERROR;
  }

  /** True when the answer means the cached credential for this grant must not be used any more. */
  public boolean invalidatesGrant() {
    switch (code) {
      case GRANT_NOT_FOUND:
      case GRANT_REVOKED:
      case PRINCIPAL_MISMATCH:
      case IDENTITY_INVALID:
      case UNAUTHORIZED_APP:
      case CREDENTIAL_EXPIRED:
      case POLICY_VIOLATION:
        return true;
      default:
        return false;
    }
  }

  public AlterCredentialException toException() {
    return new AlterCredentialException(wireCode, grant, detail, fix);
  }
}
