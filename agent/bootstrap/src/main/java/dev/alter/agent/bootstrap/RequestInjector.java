package dev.alter.agent.bootstrap;

import java.util.concurrent.CompletableFuture;

/**
 * Implemented by the agent core (in its isolated class loader) and registered with {@link
 * AlterBridge#install}. Decides, for one tagged request on one hop, what to strip and inject, or
 * fails it.
 */
public interface RequestInjector {
  RequestRewrite rewrite(OutgoingRequest request) throws AlterCredentialException;

  /**
   * A tagged request that an entry point refused before asking {@link #rewrite} (its client's hooks
   * are not woven): counted with the injector's own refusals. Never throws.
   */
  default void refusedAtEntry(String grant, String code) {}

  /**
   * {@link #rewrite} for a caller that must not block (an event loop): the future is already
   * complete when the answer is at hand (a warm cache, or a failure known at once); otherwise it
   * completes on a thread of the agent's once the resolve ends, with the rewrite or exceptionally
   * with {@link AlterCredentialException}. The default answers synchronously.
   */
  default CompletableFuture<RequestRewrite> rewriteWithoutBlocking(OutgoingRequest request) {
    CompletableFuture<RequestRewrite> answer = new CompletableFuture<>();
    try {
      answer.complete(rewrite(request));
    } catch (AlterCredentialException | RuntimeException e) {
      answer.completeExceptionally(e);
    }
    return answer;
  }
}
