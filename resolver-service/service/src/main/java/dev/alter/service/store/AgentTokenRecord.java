package dev.alter.service.store;

/**
 * One agent token as stored: its SHA-256 only. {@code revoked} is true when the token or its agent
 * was revoked.
 */
public record AgentTokenRecord(String tokenHash, String agentId, long createdAt, boolean revoked) {}
