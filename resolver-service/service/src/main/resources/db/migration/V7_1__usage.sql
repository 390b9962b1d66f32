-- Usage per grant (issue 18): per-minute aggregates the agents report, and provider rejections.

-- identity_digest is '' for system and agent grants (one row per grant and minute), else the
-- agent's digest of the end user's identity (user and group grants).
CREATE TABLE usage_minutes (
  minute_start    BIGINT      NOT NULL,
  grant_id        VARCHAR(40) NOT NULL,
  identity_digest VARCHAR(64) NOT NULL,
  app_id          VARCHAR(40) NOT NULL,
  secret_id       VARCHAR(40) NOT NULL,
  injected        BIGINT      NOT NULL,
  refused         BIGINT      NOT NULL,
  status_1xx      BIGINT      NOT NULL,
  status_2xx      BIGINT      NOT NULL,
  status_3xx      BIGINT      NOT NULL,
  status_4xx      BIGINT      NOT NULL,
  status_5xx      BIGINT      NOT NULL,
  status_401      BIGINT      NOT NULL,
  status_403      BIGINT      NOT NULL,
  status_429      BIGINT      NOT NULL,
  PRIMARY KEY (minute_start, grant_id, identity_digest)
);
CREATE INDEX usage_minutes_secret ON usage_minutes (secret_id, minute_start);
CREATE INDEX usage_minutes_app ON usage_minutes (app_id, minute_start);

-- Refusals by error code (grant_not_found, host_not_allowed, …) per grant and minute.
CREATE TABLE usage_refusals (
  minute_start    BIGINT      NOT NULL,
  grant_id        VARCHAR(40) NOT NULL,
  identity_digest VARCHAR(64) NOT NULL,
  code            VARCHAR(40) NOT NULL,
  app_id          VARCHAR(40) NOT NULL,
  secret_id       VARCHAR(40) NOT NULL,
  refused         BIGINT      NOT NULL,
  PRIMARY KEY (minute_start, grant_id, identity_digest, code)
);

-- The "rejected by provider" flag of a secret: open while cleared_at is NULL. flagged_version is
-- the secret's credential version when the flag opened; last_event_at is the time of the last
-- provider.rejected audit event (one per window).
CREATE TABLE provider_rejections (
  secret_id       VARCHAR(40) PRIMARY KEY,
  app_id          VARCHAR(40) NOT NULL,
  first_seen      BIGINT      NOT NULL,
  last_seen       BIGINT      NOT NULL,
  rejections      BIGINT      NOT NULL,
  flagged_version BIGINT      NOT NULL,
  last_event_at   BIGINT      NOT NULL,
  cleared_at      BIGINT
);
