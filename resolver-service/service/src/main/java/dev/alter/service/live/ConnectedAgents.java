package dev.alter.service.live;

import dev.alter.service.app.Times;
import dev.alter.service.store.AgentConnectionRecord;
import java.util.List;

/** The answer of {@code GET /v1/connections}: agent processes subscribed to the change feed. */
public record ConnectedAgents(List<Agent> connections) {

  /** One agent process and the replica it is subscribed through. */
  public record Agent(
      String connectionId,
      String appId,
      String keyId,
      String hostName,
      long pid,
      String agentVersion,
      String replica,
      String connectedSince,
      String lastSeen) {}

  static ConnectedAgents of(List<AgentConnectionRecord> rows) {
    return new ConnectedAgents(
        rows.stream()
            .map(
                r ->
                    new Agent(
                        r.connectionId(),
                        r.appId(),
                        r.keyId(),
                        r.hostName(),
                        r.pid(),
                        r.agentVersion(),
                        r.replica(),
                        Times.format(r.connectedAt()),
                        Times.format(r.lastSeenAt())))
            .toList());
  }
}
