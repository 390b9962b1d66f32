-- Minted credentials (issue 15). Portable between H2 (2.x) and PostgreSQL.

-- A refresh-token secret whose stored refresh token the provider rejected (invalid_grant): its
-- resolves fail with reauthorization_required, without calling the provider again, until a newer
-- version (an operator's rotation) replaces the rejected one. Holds ids and times only.
CREATE TABLE secret_reauthorization (
  secret_id   VARCHAR(40) PRIMARY KEY REFERENCES secrets (secret_id),
  version     BIGINT      NOT NULL,
  rejected_at BIGINT      NOT NULL
);
