package dev.alter.service.store;

/** An agent process subscribed to the change feed through one replica. */
public record AgentConnectionRecord(
    String connectionId,
    String appId,
    String keyId,
    String hostName,
    long pid,
    String agentVersion,
    String replica,
    long connectedAt,
    long lastSeenAt) {}
