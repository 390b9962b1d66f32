-- Identity providers and managed agents (issue 5). Portable between H2 (2.x) and PostgreSQL.

-- One row per registered IdP. Keys come from jwks_url, or (air-gapped) from jwks_document: the
-- operator's JWKS JSON or PEM text, public keys only. Lists are JSON arrays.
CREATE TABLE idps (
  idp_id             VARCHAR(80)    PRIMARY KEY,
  issuer             VARCHAR(2048)  NOT NULL,
  jwks_url           VARCHAR(2048),
  jwks_document      VARCHAR(65536),
  audiences          VARCHAR(16000) NOT NULL,
  algorithms         VARCHAR(200)   NOT NULL,
  clock_skew_seconds INTEGER        NOT NULL,
  user_claim         VARCHAR(256)   NOT NULL,
  group_claim        VARCHAR(512)   NOT NULL,
  created_at         BIGINT         NOT NULL,
  updated_at         BIGINT         NOT NULL,
  CONSTRAINT idps_one_key_source CHECK ((jwks_url IS NULL) <> (jwks_document IS NULL))
);

CREATE TABLE agents (
  agent_id   VARCHAR(80)  PRIMARY KEY,
  label      VARCHAR(128) NOT NULL,
  created_at BIGINT       NOT NULL,
  revoked_at BIGINT
);

-- Agent tokens: only their SHA-256 (hex). Rotation revokes the previous token.
CREATE TABLE agent_tokens (
  token_hash VARCHAR(64) PRIMARY KEY,
  agent_id   VARCHAR(80) NOT NULL REFERENCES agents (agent_id),
  created_at BIGINT      NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX agent_tokens_agent ON agent_tokens (agent_id);
