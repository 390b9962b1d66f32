package dev.alter.cli.command;

import dev.alter.cli.CliFailure;
import dev.alter.cli.ExitCodes;
import java.util.List;

/**
 * {@code --setting NAME=VALUE}: a part of a minted secret that is configuration, not a secret
 * (client id, token endpoint, scope, GitHub App ids). Only these names are taken on the command
 * line, where other users of the host may see them; a client secret or key goes through a file.
 */
record MintedSetting(String name, String value) {
  /** A constant: picocli's option description names them. */
  static final String NAMES =
      "client_id, token_endpoint, auth_method, scope, audience, resource, key_id, account_id,"
          + " app_id, installation_id, repositories, permissions";

  static final List<String> ALLOWED = List.of(NAMES.split(",\\s*"));

  /**
   * Splits {@code NAME=VALUE} without judging it: picocli would quote a rejected argument in its
   * error, and a misplaced secret must not be echoed. {@link #check} judges.
   */
  static MintedSetting parse(String spec) {
    int eq = spec.indexOf('=');
    return eq < 0
        ? new MintedSetting(spec, "")
        : new MintedSetting(spec.substring(0, eq), spec.substring(eq + 1));
  }

  /** Refuses a malformed setting or a name that is not a setting, naming neither value. */
  MintedSetting check() {
    if (name.isEmpty() || value.isEmpty() || !name.matches("[a-z_]{1,64}")) {
      throw usage("--setting expects NAME=VALUE, e.g. client_id=my-app");
    }
    if (!ALLOWED.contains(name)) {
      throw usage("'" + name + "' is not a setting (" + NAMES + ")");
    }
    return this;
  }

  private static CliFailure usage(String detail) {
    return new CliFailure(
        "usage", ExitCodes.USAGE, detail, "give secret parts with --part-file NAME=FILE");
  }
}
