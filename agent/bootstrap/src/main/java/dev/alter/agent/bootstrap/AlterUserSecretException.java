package dev.alter.agent.bootstrap;

import java.io.IOException;

/**
 * A user-secret call ({@link AlterUserSecrets}) that did not happen: nothing was stored, changed or
 * deleted. The message names the provider, the stable code and the fix, and never contains the key
 * or the user's token.
 */
public class AlterUserSecretException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The contract's wire form (BootstrapErrorCodesTest): the bootstrap cannot see the enum. */
  public static final String MALFORMED_CREDENTIAL = "malformed_credential";

  private final String code;
  private final String provider;

  public AlterUserSecretException(String code, String provider, String detail, String fix) {
    super(message(code, provider, detail, fix));
    this.code = code;
    this.provider = provider;
  }

  /** Stable error code, e.g. {@code provider_not_allowed} (see docs/errors.md). */
  public String code() {
    return code;
  }

  public String provider() {
    return provider;
  }

  private static String message(String code, String provider, String detail, String fix) {
    StringBuilder sb = new StringBuilder("Alter: user key for ");
    sb.append(provider == null ? "(no provider)" : provider).append(" failed: ").append(code);
    if (detail != null && !detail.isEmpty()) {
      sb.append(" (").append(detail).append(')');
    }
    if (fix != null && !fix.isEmpty()) {
      sb.append(". Fix: ").append(fix);
    }
    return sb.append(". Nothing was changed.").toString();
  }
}
