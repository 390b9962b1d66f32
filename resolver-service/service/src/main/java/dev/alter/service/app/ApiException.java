package dev.alter.service.app;

import dev.alter.contract.ErrorCode;

/**
 * A request the service refuses, with its stable code. The detail is shown to the caller, so it
 * names fields and ids, never values of credentials or tokens.
 */
public final class ApiException extends RuntimeException {
  private final ErrorCode code;
  private final String grantId;

  public ApiException(ErrorCode code, String detail) {
    this(code, detail, null);
  }

  public ApiException(ErrorCode code, String detail, String grantId) {
    super(detail, null, false, false);
    this.code = code;
    this.grantId = grantId;
  }

  public static ApiException invalid(String detail) {
    return new ApiException(ErrorCode.VALIDATION_FAILED, detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(ErrorCode.NOT_FOUND, detail);
  }

  public ErrorCode code() {
    return code;
  }

  public String grantId() {
    return grantId;
  }
}
