-- Keys uploaded by an app's own users (issue 19). Portable between H2 (2.x) and PostgreSQL.

-- What the operator allows per app and provider: where an uploaded key may go (destinations and
-- injection, fixed here: a user never chooses them), which IdPs' users may upload (JSON array of
-- idp ids) and how many keys one user may keep for the provider.
CREATE TABLE user_secret_allowances (
  app_id        VARCHAR(40)    NOT NULL REFERENCES apps (app_id),
  provider      VARCHAR(32)    NOT NULL,
  injection     VARCHAR(8000)  NOT NULL,
  destinations  VARCHAR(16000) NOT NULL,
  idp_ids       VARCHAR(4000)  NOT NULL,
  max_per_user  INTEGER        NOT NULL,
  created_at    BIGINT         NOT NULL,
  updated_at    BIGINT         NOT NULL,
  PRIMARY KEY (app_id, provider)
);

-- One row per live uploaded key: the managed secret and the user grant bound to its owner. The
-- unique key makes two concurrent first uploads of the same user one secret, never two.
CREATE TABLE user_secrets (
  secret_id   VARCHAR(40)  PRIMARY KEY REFERENCES secrets (secret_id),
  grant_id    VARCHAR(40)  NOT NULL REFERENCES grants (grant_id),
  app_id      VARCHAR(40)  NOT NULL REFERENCES apps (app_id),
  provider    VARCHAR(32)  NOT NULL,
  idp_id      VARCHAR(80)  NOT NULL,
  user_id     VARCHAR(256) NOT NULL,
  name        VARCHAR(64)  NOT NULL,
  created_at  BIGINT       NOT NULL,
  CONSTRAINT user_secrets_one_per_name UNIQUE (app_id, provider, idp_id, user_id, name)
);
CREATE INDEX user_secrets_owner ON user_secrets (app_id, provider, idp_id, user_id);
