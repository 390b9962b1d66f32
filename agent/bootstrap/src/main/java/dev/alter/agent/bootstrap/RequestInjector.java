package dev.alter.agent.bootstrap;

/**
 * Implemented by the agent core (in its isolated class loader) and registered with {@link
 * AlterBridge#install}. Decides, for one tagged request on one hop, what to strip and inject, or
 * fails it.
 */
public interface RequestInjector {
  RequestRewrite rewrite(OutgoingRequest request) throws AlterCredentialException;
}
