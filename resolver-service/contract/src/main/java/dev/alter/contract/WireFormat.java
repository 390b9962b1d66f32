package dev.alter.contract;

/**
 * Facts about the wire format that both ends must agree on. The contract has no JSON library: the
 * service and the agent each configure their (shaded) Jackson with snake_case property names; the
 * service rejects unknown fields, the agent ignores them (forward compatibility).
 */
public final class WireFormat {
  /** Header carrying the grant id or {@code @provider}. Compared case-insensitively. */
  public static final String GRANT_HEADER = "alter-grant";

  /** Header carrying the end user's JWT or a managed agent's token. */
  public static final String IDENTITY_HEADER = "alter-identity";

  public static final String RESOLVE_PATH = "/v1/resolve";

  /**
   * The change feed: a signed POST whose answer is a server-sent event stream ({@code
   * resolver-service/API.md}, Change feed).
   */
  public static final String CHANGES_PATH = "/v1/changes";

  /** The agent's side of the feed's heartbeat: a signed POST naming its connection. */
  public static final String CHANGES_HEARTBEAT_PATH = "/v1/changes/heartbeat";

  /** Where agents report the requests grant policies refused, aggregated (app keys, signed). */
  public static final String POLICY_REFUSALS_PATH = "/v1/policy-refusals";

  /** Where agents report usage per grant (injected, refused, provider responses): app keys. */
  public static final String USAGE_REPORT_PATH = "/v1/usage/report";

  public static final String APP_KEY_PREFIX = "alter_key_app_";
  public static final String ADMIN_KEY_PREFIX = "alter_key_admin_";
  public static final String AGENT_TOKEN_PREFIX = "alter_key_agent_";

  public static final String GRANT_ID_PREFIX = "grt_";
  public static final String SECRET_ID_PREFIX = "ms_";
  public static final String APP_ID_PREFIX = "app_";

  /** The credential part that templates name {@code {credential}}; always present. */
  public static final String PRIMARY_PART = "credential";

  /**
   * The reserved payload part carrying the grant's request policy (a ':' no credential part name
   * has), sealed with the credential.
   */
  public static final String POLICY_PART = "alter:policy";

  private WireFormat() {}

  /** True for the two application-facing headers the agent strips from every request. */
  public static boolean isAlterHeader(String name) {
    return GRANT_HEADER.equalsIgnoreCase(name) || IDENTITY_HEADER.equalsIgnoreCase(name);
  }
}
