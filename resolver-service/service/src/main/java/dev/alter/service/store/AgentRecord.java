package dev.alter.service.store;

/**
 * A managed agent ({@code agt_…}); {@code activeTokenCreatedAt} is null when it holds no live
 * token.
 */
public record AgentRecord(
    String agentId, String label, long createdAt, Long revokedAt, Long activeTokenCreatedAt) {}
