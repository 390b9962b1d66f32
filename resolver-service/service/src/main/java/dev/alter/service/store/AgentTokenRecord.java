package dev.alter.service.store;

/**
 * One agent token as stored: its proof key id and public key only. {@code revoked} is true when the
 * token or its agent was revoked.
 */
public record AgentTokenRecord(
    String proofKeyId, String publicKey, String agentId, long createdAt, boolean revoked) {}
