-- Crosswalk master store. PostgreSQL 15 compatible (PGlite runs 18; the servers here run 15).

-- Records exactly as received. (connector, stream, source_id) is the key; content_hash makes a re-ingest of
-- the same content a no-op. A deleted record stays as a tombstone.
CREATE TABLE source_record (
  id                bigserial PRIMARY KEY,
  connector         text        NOT NULL,
  stream            text        NOT NULL,
  source_id         text        NOT NULL,
  content_hash      text        NOT NULL,
  payload           jsonb       NOT NULL,
  deleted           boolean     NOT NULL DEFAULT false,
  version           integer     NOT NULL DEFAULT 1,
  source_updated_at timestamptz,
  first_seen_at     timestamptz NOT NULL DEFAULT now(),
  last_changed_at   timestamptz NOT NULL DEFAULT now(),
  last_run_id       bigint,
  CONSTRAINT source_record_key UNIQUE (connector, stream, source_id)
);

-- What the source mapping made of a record version: canonical drafts and field-level issues.
CREATE TABLE normalized_record (
  source_record_id bigint      PRIMARY KEY REFERENCES source_record (id) ON DELETE CASCADE,
  source_version   integer     NOT NULL,
  mapping_checksum text        NOT NULL,
  drafts           jsonb       NOT NULL,
  issues           jsonb       NOT NULL DEFAULT '[]',
  normalized_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX normalized_record_has_issues ON normalized_record ((jsonb_array_length(issues) > 0));

-- One real physician (hcp) or organization (hco). A merge retires the loser and points it at the winner;
-- nothing is deleted, and a lookup by a retired id follows replaced_by.
CREATE TABLE master_entity (
  id          text        PRIMARY KEY,
  entity_type text        NOT NULL CHECK (entity_type IN ('hcp', 'hco')),
  status      text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  replaced_by text        REFERENCES master_entity (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Source record draft <-> master entity.
CREATE TABLE crosswalk (
  source_record_id bigint      NOT NULL REFERENCES source_record (id),
  draft_key        text        NOT NULL,
  master_id        text        NOT NULL REFERENCES master_entity (id),
  linked_at        timestamptz NOT NULL DEFAULT now(),
  linked_by        text        NOT NULL,
  reason           text        NOT NULL,
  PRIMARY KEY (source_record_id, draft_key)
);
CREATE INDEX crosswalk_master ON crosswalk (master_id);

-- Identifiers of the current golden records, for exact lookups (NPI, DEA, HIN ...) and id-based matching.
CREATE TABLE master_identifier (
  master_id text NOT NULL REFERENCES master_entity (id),
  type      text NOT NULL,
  value     text NOT NULL,
  issuer    text NOT NULL DEFAULT '',
  PRIMARY KEY (type, value, issuer, master_id)
);
CREATE INDEX master_identifier_master ON master_identifier (master_id);

-- The survivor: one value per attribute, each with its lineage.
CREATE TABLE golden_record (
  master_id   text        PRIMARY KEY REFERENCES master_entity (id),
  entity_type text        NOT NULL,
  version     integer     NOT NULL,
  attributes  jsonb       NOT NULL,
  display_name text,
  computed_at timestamptz NOT NULL DEFAULT now()
);

-- Every version a golden record ever had, with what caused it.
CREATE TABLE golden_record_history (
  master_id   text        NOT NULL REFERENCES master_entity (id),
  version     integer     NOT NULL,
  attributes  jsonb       NOT NULL,
  cause       text        NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (master_id, version)
);

-- Steward decisions on pairs of source drafts: always respected on re-runs.
CREATE TABLE match_decision (
  id              bigserial   PRIMARY KEY,
  entity_type     text        NOT NULL,
  left_ref        text        NOT NULL,
  right_ref       text        NOT NULL,
  decision        text        NOT NULL CHECK (decision IN ('must_link', 'cannot_link')),
  author          text        NOT NULL,
  reason          text        NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz,
  reopened_at     timestamptz,
  reopened_reason text,
  CHECK (left_ref < right_ref)
);
CREATE UNIQUE INDEX match_decision_active ON match_decision (left_ref, right_ref) WHERE revoked_at IS NULL;

-- Pairs and clusters the matcher was unsure about.
CREATE TABLE review_item (
  id          bigserial   PRIMARY KEY,
  entity_type text        NOT NULL,
  member_refs jsonb       NOT NULL,
  score       double precision NOT NULL,
  explanation jsonb       NOT NULL,
  status      text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'resolved', 'deferred')),
  resolution  text,
  resolved_by text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE INDEX review_item_pending ON review_item (score DESC) WHERE status = 'pending';

-- A sync run: one connector stream, its counts, progress and outcome.
CREATE TABLE sync_run (
  id          bigserial   PRIMARY KEY,
  connector   text        NOT NULL,
  stream      text        NOT NULL,
  status      text        NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  trigger     text        NOT NULL DEFAULT 'manual',
  counts      jsonb       NOT NULL DEFAULT '{}',
  error       jsonb,
  since       timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  started_at  timestamptz,
  finished_at timestamptz
);
CREATE INDEX sync_run_stream ON sync_run (connector, stream, id DESC);

-- Where a stream got to: saved in the same transaction as the batch it follows.
CREATE TABLE sync_checkpoint (
  connector  text        NOT NULL,
  stream     text        NOT NULL,
  state      jsonb       NOT NULL,
  run_id     bigint      REFERENCES sync_run (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connector, stream)
);

-- Records that could not be taken in, with the reason and the raw payload, until replayed.
CREATE TABLE quarantine (
  id          bigserial   PRIMARY KEY,
  run_id      bigint      REFERENCES sync_run (id),
  connector   text        NOT NULL,
  stream      text        NOT NULL,
  source_id   text,
  reason_code text        NOT NULL,
  reason      text        NOT NULL,
  payload     jsonb       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  replayed_at timestamptz
);
CREATE INDEX quarantine_open ON quarantine (connector, stream) WHERE replayed_at IS NULL;

-- Prescriber x product x period facts, resolved to a physician through the crosswalk when one matches.
CREATE TABLE rx_fact (
  source_record_id bigint  NOT NULL REFERENCES source_record (id) ON DELETE CASCADE,
  draft_key        text    NOT NULL,
  master_id        text    REFERENCES master_entity (id),
  prescriber       jsonb   NOT NULL,
  product          text    NOT NULL,
  period_end       date    NOT NULL,
  grain            text    NOT NULL,
  measures         jsonb   NOT NULL,
  suppressed       text[]  NOT NULL DEFAULT '{}',
  PRIMARY KEY (source_record_id, draft_key)
);
CREATE INDEX rx_fact_master ON rx_fact (master_id);

-- Who did what, when, with the before and after. Append-only, enforced below.
CREATE TABLE audit_log (
  id          bigserial   PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text        NOT NULL,
  action      text        NOT NULL,
  entity_type text,
  entity_id   text,
  reason      text,
  before      jsonb,
  after       jsonb
);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- Events for write-back connectors, webhooks and the console, written in the same transaction as the change.
CREATE TABLE outbox (
  id           bigserial   PRIMARY KEY,
  topic        text        NOT NULL,
  aggregate_id text        NOT NULL,
  payload      jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
