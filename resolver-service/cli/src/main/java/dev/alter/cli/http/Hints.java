package dev.alter.cli.http;

import dev.alter.contract.ErrorCode;

/**
 * What an operator should do about an error code, phrased for the CLI. Falls back to the shared
 * {@link ErrorCode#fix()} for codes without a CLI-specific hint.
 */
final class Hints {
  private Hints() {}

  static String forCode(String code) {
    ErrorCode error = ErrorCode.fromCode(code);
    switch (error) {
      case UNAUTHORIZED:
        return "the admin key is missing, unknown or revoked: check --admin-key-file, "
            + "ALTER_ADMIN_KEY_FILE or ALTER_ADMIN_KEY";
      case FORBIDDEN:
        return "use an admin key (alter_key_admin_…), not an app key";
      case NOT_FOUND:
        return "check the id; 'alter apps list', 'alter secrets list' and 'alter grants list'"
            + " show the ids that exist";
      case CONFLICT:
        return "the name or state conflicts with what is stored; list to see it, then retry";
      case RESOLVER_UNAVAILABLE:
        return "check --url / ALTER_URL and that the resolver service is running";
      default:
        return error.fix();
    }
  }
}
