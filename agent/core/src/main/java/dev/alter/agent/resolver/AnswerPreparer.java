package dev.alter.agent.resolver;

/**
 * Derives, once per resolve answer, the form the injection layer applies to every request that
 * answer serves. The resolver keeps that form in the cache entry beside the answer, so it lives
 * exactly as long as the answer does and the warm path only reads a field.
 *
 * @param <P> the prepared form
 */
@FunctionalInterface
public interface AnswerPreparer<P> {

  /**
   * The request-independent form of {@code answer}, or null when it has none or cannot be built
   * (the caller then builds per request, and fails that request with its own error).
   */
  P prepare(ResolvedCredential answer);
}
