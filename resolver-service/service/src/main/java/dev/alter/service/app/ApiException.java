package dev.alter.service.app;

import dev.alter.contract.ErrorCode;
import dev.alter.service.crypto.ApiKeys;

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

  /**
   * "no {what} {id}", showing the id only when it has the form of an id this service issues: any
   * other text is the caller's and stays out of the answer.
   */
  public static ApiException notFound(String what, String id) {
    return notFound("no " + what + " " + (ApiKeys.isIssuedId(id) ? id : "with this id"));
  }

  public ErrorCode code() {
    return code;
  }

  public String grantId() {
    return grantId;
  }
}
