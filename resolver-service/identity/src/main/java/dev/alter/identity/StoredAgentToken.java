package dev.alter.identity;

/**
 * What the service's store holds for one agent token: the owning agent, the SHA-256 hex of the
 * token and whether it was revoked (a rotated-away token is revoked too).
 */
public record StoredAgentToken(String agentId, String tokenHash, boolean revoked) {}
