package dev.alter.agent.bootstrap;

/**
 * Answers, at a client's public entry point, whether the hooks that put a credential on the wire
 * are woven into that client's classes. Implemented in the agent's class loader and installed
 * behind {@link AlterBridge#requireHooks}.
 */
public interface ClientHookCheck {
  /**
   * @param hookSet the family's hook set, e.g. {@code okhttp} or {@code apache-httpclient-5/async}
   * @param clientType the entry point's class, whose class loader (and version) is checked
   * @param grantId the grant the tagged request names, for the message
   * @throws AlterCredentialException with {@code client_not_supported} when a hook is missing
   */
  void require(String hookSet, Class<?> clientType, String grantId) throws AlterCredentialException;
}
