package dev.alter.cli.command;

import java.util.List;

/**
 * {@code --setting NAME=VALUE}: a part of a minted secret that is configuration, not a secret
 * (client id, token endpoint, scope, GitHub App ids). Only these names are taken on the command
 * line, where other users of the host may see them; a client secret or key goes through a file.
 */
record MintedSetting(String name, String value) {
  static final List<String> ALLOWED =
      List.of(
          "client_id",
          "token_endpoint",
          "auth_method",
          "scope",
          "audience",
          "resource",
          "key_id",
          "account_id",
          "app_id",
          "installation_id",
          "repositories",
          "permissions");
  static final String NAMES = String.join(", ", ALLOWED);

  /** Parses {@code NAME=VALUE}; picocli reports the exception as a usage error. */
  static MintedSetting parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0 || eq == spec.length() - 1) {
      throw new IllegalArgumentException("expected NAME=VALUE, e.g. client_id=my-app");
    }
    String name = spec.substring(0, eq);
    if (!ALLOWED.contains(name)) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' is not a setting ("
              + NAMES
              + "); give secret parts with --part-file NAME=FILE");
    }
    return new MintedSetting(name, spec.substring(eq + 1));
  }
}
