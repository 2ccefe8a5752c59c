-- People and machines that use the API and the console (src/auth), the connector switches the console
-- flips, and the indexes master search needs. PostgreSQL 15 compatible.

-- A person or a service account. Roles nest: viewer (read) < steward (review, merge, pins) < admin (connectors,
-- schedules, users). A user without a password (a service account) signs in with API keys only.
CREATE TABLE app_user (
  id            bigserial   PRIMARY KEY,
  name          text        NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
  role          text        NOT NULL CHECK (role IN ('admin', 'steward', 'viewer')),
  password_hash text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text        NOT NULL,
  disabled_at   timestamptz
);

-- API keys (`Authorization: Bearer cwk_...`). Only a SHA-256 of the key is stored (keys are 32 random bytes,
-- so a slow hash adds nothing); the prefix lets a person tell keys apart in a list.
CREATE TABLE api_key (
  id           bigserial   PRIMARY KEY,
  user_id      bigint      NOT NULL REFERENCES app_user (id),
  key_hash     text        NOT NULL UNIQUE,
  prefix       text        NOT NULL,
  label        text        NOT NULL DEFAULT '',
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_key_user ON api_key (user_id);

-- Console sessions. The cookie carries a random token; only its SHA-256 is stored. The CSRF token is checked
-- on every state-changing request made with the cookie.
CREATE TABLE user_session (
  token_hash   text        PRIMARY KEY,
  user_id      bigint      NOT NULL REFERENCES app_user (id),
  csrf_token   text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_session_user ON user_session (user_id);

-- An administrator's switch over a connector of the workspace file: it wins over `enabled:` in crosswalk.yaml.
CREATE TABLE connector_override (
  connector_id text        PRIMARY KEY,
  enabled      boolean     NOT NULL,
  updated_by   text        NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Master search: name prefixes without pg_trgm, attribute filters (state, city, specialty) by containment.
CREATE INDEX golden_record_name_prefix ON golden_record (lower(display_name) text_pattern_ops);
CREATE INDEX golden_record_attributes ON golden_record USING gin (attributes jsonb_path_ops);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, id DESC);
CREATE INDEX audit_log_actor ON audit_log (actor, id DESC);

-- Fuzzy name search with trigrams where the extension is there (the PostgreSQL servers; PGlite when the store
-- is opened with its pg_trgm extension). Without it, search falls back to name prefixes.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
    EXECUTE 'CREATE INDEX golden_record_name_trgm ON golden_record USING gin (lower(display_name) public.gin_trgm_ops)';
  END IF;
END
$$;
