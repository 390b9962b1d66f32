package dev.alter.agent.bootstrap;

import java.io.IOException;

/**
 * The one exception a tagged request fails with when it cannot be given its credential. It is an
 * {@link IOException} so every client surfaces it where applications already handle I/O failure;
 * nothing was sent when it is thrown. The message names the grant, the stable code and the fix, and
 * never contains a credential or token.
 */
public class AlterCredentialException extends IOException {
  private static final long serialVersionUID = 1L;

  // The codes thrown on the boot class path, which cannot see dev.alter.contract.ErrorCode: each
  // is that enum's wire form (BootstrapErrorCodesTest). Compile-time constants, so advice that
  // names them references nothing at run time.
  public static final String RESOLVER_UNAVAILABLE = "resolver_unavailable";
  public static final String HOST_NOT_ALLOWED = "host_not_allowed";
  public static final String INTERNAL_ERROR = "internal_error";
  public static final String CLIENT_NOT_SUPPORTED = "client_not_supported";

  /** A grant's policy refused the request (method, path, body size, rate or time): not sent. */
  public static final String POLICY_VIOLATION = "policy_violation";

  private final String code;
  private final String grantId;

  public AlterCredentialException(String code, String grantId, String detail, String fix) {
    this(code, grantId, detail, fix, null);
  }

  public AlterCredentialException(
      String code, String grantId, String detail, String fix, Throwable cause) {
    super(message(code, grantId, detail, fix), cause);
    this.code = code;
    this.grantId = grantId;
  }

  /** Stable error code, e.g. {@code grant_revoked} (see {@code dev.alter.contract.ErrorCode}). */
  public String code() {
    return code;
  }

  /** The grant the request named ({@code grt_…} or {@code @provider}), or null if none. */
  public String grantId() {
    return grantId;
  }

  private static String message(String code, String grantId, String detail, String fix) {
    StringBuilder sb = new StringBuilder("Alter: ");
    sb.append(grantId == null ? "request" : "grant " + grantId).append(" failed: ").append(code);
    if (detail != null && !detail.isEmpty()) {
      sb.append(" (").append(detail).append(')');
    }
    if (fix != null && !fix.isEmpty()) {
      sb.append(". Fix: ").append(fix);
    }
    return sb.append(". Nothing was sent.").toString();
  }
}
