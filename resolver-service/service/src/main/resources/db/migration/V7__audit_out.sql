-- Audit out (issue 18): the export position of each audit event and the webhook receivers.
-- Portable between H2 (2.x) and PostgreSQL.

-- export_pos is the event's place in commit order, assigned after the event committed by the one
-- sequencer transaction that holds audit_export_sequencer's row lock (AuditExportRepository says
-- why seq cannot be the cursor). NULL until assigned.
ALTER TABLE audit_events ADD COLUMN export_pos BIGINT;
CREATE UNIQUE INDEX audit_events_export_pos ON audit_events (export_pos);

CREATE TABLE audit_export_sequencer (
  id       INTEGER PRIMARY KEY,
  last_pos BIGINT  NOT NULL
);
INSERT INTO audit_export_sequencer (id, last_pos) VALUES (1, 0);

-- One row per receiver. The signing secret is stored like a credential (envelope encryption under
-- the master key, bound to the receiver id). delivered_pos is the export position of the last
-- event the receiver acknowledged; the lease says which replica delivers to it until when.
CREATE TABLE webhook_receivers (
  receiver_id     VARCHAR(40)   PRIMARY KEY,
  url             VARCHAR(2048) NOT NULL,
  description     VARCHAR(200),
  allow_plain_http BOOLEAN      NOT NULL,
  master_key_id   VARCHAR(40)   NOT NULL,
  wrapped_key     BYTEA         NOT NULL,
  nonce           BYTEA         NOT NULL,
  ciphertext      BYTEA         NOT NULL,
  status          VARCHAR(10)   NOT NULL,
  delivered_pos   BIGINT        NOT NULL,
  attempts        INTEGER       NOT NULL,
  failing_since   BIGINT,
  next_attempt_at BIGINT        NOT NULL,
  last_error      VARCHAR(300),
  last_delivered_at BIGINT,
  lease_owner     VARCHAR(40),
  lease_until     BIGINT        NOT NULL,
  created_at      BIGINT        NOT NULL,
  deleted_at      BIGINT
);
