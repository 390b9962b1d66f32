package dev.alter.identity;

import java.util.Objects;

/**
 * A managed agent ({@code agt_…}) whose {@code alter_key_agent_…} token matched a live stored hash.
 *
 * @param agentId the agent the token belongs to
 * @param tokenHash SHA-256 hex of the token (what the service stores), for cache keys
 */
public record VerifiedAgent(String agentId, String tokenHash) implements AuthenticatedIdentity {

  public VerifiedAgent {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(tokenHash, "tokenHash");
  }

  @Override
  public String describe() {
    return "agent:" + agentId;
  }

  @Override
  public String toString() {
    return "VerifiedAgent{" + agentId + "}";
  }
}
