package dev.alter.identity;

/**
 * What the service's store holds for one agent token: the owning agent, the token's proof key id
 * and public key (SEC1 uncompressed, hex), and whether it was revoked (a rotated-away token is
 * revoked too). Neither value lets anyone present or sign as the token.
 */
public record StoredAgentToken(
    String agentId, String proofKeyId, String publicKey, boolean revoked) {}
