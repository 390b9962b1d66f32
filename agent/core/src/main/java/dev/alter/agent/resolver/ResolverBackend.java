package dev.alter.agent.resolver;

import java.util.concurrent.CompletableFuture;

/**
 * Asks the resolver service for a grant's credential; completes with a {@link ResolveFailure} on
 * error.
 */
public interface ResolverBackend {
  /**
   * @param grant {@code grt_…} or {@code @provider}
   * @param identity the {@code alter-identity} token, or null
   * @param method the HTTP method of the request the credential is for
   * @param url the destination URL (no userinfo) the service checks against the secret's
   *     destinations
   */
  CompletableFuture<ResolvedCredential> resolve(
      String grant, String identity, String method, String url);

  /**
   * As {@link #resolve(String, String, String, String)}, telling the service the UTC date ({@code
   * yyyyMMdd}, from the agent's clock) a signing secret (AWS) will sign for, so the derived key it
   * seals is for the day the agent signs on.
   */
  default CompletableFuture<ResolvedCredential> resolve(
      String grant, String identity, String method, String url, String signingDate) {
    return resolve(grant, identity, method, url);
  }
}
