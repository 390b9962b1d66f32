-- The change log (issue 12): what running agents must learn about, appended in the same
-- transaction as the change. Ids and versions only, never credential material. Portable between
-- H2 (2.x) and PostgreSQL; times are epoch milliseconds (UTC).

-- seq is taken from change_log_head under its row lock, so entries become visible in seq order:
-- a reader that has seen seq N has seen every entry before it.
CREATE TABLE change_log (
  seq         BIGINT      PRIMARY KEY,
  occurred_at BIGINT      NOT NULL,
  kind        VARCHAR(40) NOT NULL,
  app_id      VARCHAR(40),
  grant_id    VARCHAR(40),
  secret_id   VARCHAR(40),
  version     BIGINT,
  subject_id  VARCHAR(80)
);
CREATE INDEX change_log_time ON change_log (occurred_at);
CREATE INDEX change_log_expired_grant ON change_log (grant_id, kind);

CREATE TABLE change_log_head (
  id       INTEGER PRIMARY KEY,
  last_seq BIGINT  NOT NULL
);
INSERT INTO change_log_head (id, last_seq) VALUES (1, 0);

CREATE INDEX grants_expires ON grants (expires_at);

-- Agent processes subscribed to the change feed, on every replica; each replica refreshes
-- last_seen_at of its own rows and removes them when the subscription ends.
CREATE TABLE agent_connections (
  connection_id VARCHAR(40)  PRIMARY KEY,
  app_id        VARCHAR(40)  NOT NULL,
  key_id        VARCHAR(40)  NOT NULL,
  host_name     VARCHAR(255) NOT NULL,
  pid           BIGINT       NOT NULL,
  agent_version VARCHAR(64)  NOT NULL,
  replica       VARCHAR(128) NOT NULL,
  connected_at  BIGINT       NOT NULL,
  last_seen_at  BIGINT       NOT NULL
);
CREATE INDEX agent_connections_app ON agent_connections (app_id);
CREATE INDEX agent_connections_seen ON agent_connections (last_seen_at);
