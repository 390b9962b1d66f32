package dev.alter.service;

import java.util.Map;

/**
 * Settings of the change feed (what running agents learn about changes).
 *
 * @param replicaId this process's name in the connected-agents list ({@code ALTER_REPLICA_ID});
 *     null: host name and port
 * @param retentionSeconds how long change log entries are kept ({@code
 *     ALTER_CHANGE_RETENTION_SECONDS}); an agent resuming from an older sequence drops its cache
 * @param heartbeatSeconds how often the service sends a heartbeat on each subscription ({@code
 *     ALTER_CHANGE_HEARTBEAT_SECONDS}); agents send theirs at the same interval
 */
public record ChangeFeedConfig(String replicaId, int retentionSeconds, int heartbeatSeconds) {
  public static final int DEFAULT_RETENTION_SECONDS = 24 * 3600;
  public static final int DEFAULT_HEARTBEAT_SECONDS = 2;

  public ChangeFeedConfig {
    if (retentionSeconds < 1 || retentionSeconds > 30 * 24 * 3600) {
      throw new IllegalArgumentException("change log retention must be 1 s .. 30 days");
    }
    if (heartbeatSeconds < 1 || heartbeatSeconds > 30) {
      throw new IllegalArgumentException("change feed heartbeat must be 1..30 seconds");
    }
    if (replicaId != null && !replicaId.matches("[A-Za-z0-9._:-]{1,100}")) {
      throw new IllegalArgumentException(
          "ALTER_REPLICA_ID must be 1..100 letters, digits, '.', '_', ':' or '-'");
    }
  }

  public static ChangeFeedConfig defaults() {
    return new ChangeFeedConfig(null, DEFAULT_RETENTION_SECONDS, DEFAULT_HEARTBEAT_SECONDS);
  }

  static ChangeFeedConfig fromSettings(Map<String, String> settings) {
    String replica = settings.get("ALTER_REPLICA_ID");
    int retention = DEFAULT_RETENTION_SECONDS;
    if (settings.containsKey("ALTER_CHANGE_RETENTION_SECONDS")) {
      retention =
          ServiceConfig.parseInt(
              "ALTER_CHANGE_RETENTION_SECONDS",
              settings.get("ALTER_CHANGE_RETENTION_SECONDS"),
              1,
              30 * 24 * 3600);
    }
    int heartbeat = DEFAULT_HEARTBEAT_SECONDS;
    if (settings.containsKey("ALTER_CHANGE_HEARTBEAT_SECONDS")) {
      heartbeat =
          ServiceConfig.parseInt(
              "ALTER_CHANGE_HEARTBEAT_SECONDS",
              settings.get("ALTER_CHANGE_HEARTBEAT_SECONDS"),
              1,
              30);
    }
    return new ChangeFeedConfig(
        replica == null || replica.isBlank() ? null : replica.trim(), retention, heartbeat);
  }
}
