-- Privacy and compliance (src/privacy): data subject requests, erasure tombstones, audit values kept apart from the
-- append-only audit log so that an erasure can remove them, and Rx facts as sales representatives may see them.

-- Every export and erasure: who asked, why, which masters, and counts per table (never values).
CREATE TABLE privacy_request (
  id         bigserial   PRIMARY KEY,
  kind       text        NOT NULL CHECK (kind IN ('export', 'erase')),
  actor      text        NOT NULL,
  reason     text        NOT NULL DEFAULT '',
  master_ids text[]      NOT NULL DEFAULT '{}',
  summary    jsonb       NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The keys tombstones were made with (an id derived from the key, never the key): ingest refuses to run when a key
-- in use is not configured, since an erased person could then come back unnoticed.
CREATE TABLE privacy_key (
  key_id        text        PRIMARY KEY,
  first_used_at timestamptz NOT NULL DEFAULT now()
);

-- What is left of an erased person: HMAC-SHA256 (CROSSWALK_PRIVACY_KEY) of each identifier (NPI, DEA, ME, state
-- license, system ids) and source key (connector, stream, source id). Ingest drops records that hash to one.
CREATE TABLE privacy_tombstone (
  hash       text        PRIMARY KEY,
  kind       text        NOT NULL,
  key_id     text        NOT NULL REFERENCES privacy_key (key_id),
  request_id bigint      NOT NULL REFERENCES privacy_request (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The audit log stays append-only (migration 001) and keeps who, when, what, which entity and why. The before and
-- after values of entries about physicians (golden records in merge and unmerge entries: names, NPIs, emails) are
-- personal data that an erasure must be able to remove, so they live here, one row per audit entry, moved by the
-- trigger below whatever code writes the entry. Erasure deletes the rows of the person and records a redaction.
-- Read audit entries through the view `audit_log_entry`, which puts the values back.
CREATE TABLE audit_log_detail (
  audit_id bigint PRIMARY KEY REFERENCES audit_log (id) DEFERRABLE INITIALLY DEFERRED,
  before   jsonb,
  after    jsonb
);

-- Which audit entries lost their values to an erasure, and by which request.
CREATE TABLE audit_log_redaction (
  audit_id    bigint      PRIMARY KEY REFERENCES audit_log (id),
  request_id  bigint      NOT NULL REFERENCES privacy_request (id),
  redacted_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION audit_log_keep_person_values_apart() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.entity_type = 'hcp' AND (NEW.before IS NOT NULL OR NEW.after IS NOT NULL) THEN
    INSERT INTO audit_log_detail (audit_id, before, after) VALUES (NEW.id, NEW.before, NEW.after);
    NEW.before := NULL;
    NEW.after := NULL;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_person_values BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_keep_person_values_apart();

-- Entries written before this migration get the same treatment, once: their values move to audit_log_detail
-- unchanged. This is the only time the append-only guard is lifted, inside this migration's transaction (which
-- holds the table's exclusive lock, so nothing else can write meanwhile); nothing is lost, only moved.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
INSERT INTO audit_log_detail (audit_id, before, after)
  SELECT id, before, after FROM audit_log WHERE entity_type = 'hcp' AND (before IS NOT NULL OR after IS NOT NULL);
UPDATE audit_log SET before = NULL, after = NULL WHERE entity_type = 'hcp' AND (before IS NOT NULL OR after IS NOT NULL);
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;

CREATE VIEW audit_log_entry AS
SELECT a.id, a.at, a.actor, a.action, a.entity_type, a.entity_id, a.reason,
       COALESCE(d.before, a.before) AS before,
       COALESCE(d.after, a.after) AS after,
       r.request_id AS redacted_by_request
  FROM audit_log a
  LEFT JOIN audit_log_detail d ON d.audit_id = a.id
  LEFT JOIN audit_log_redaction r ON r.audit_id = a.id;

-- Physicians whose golden record holds a PDRP opt-out (survivorship keeps the most restrictive consent of any
-- member, through every merge). Containment, so the GIN index on golden_record.attributes serves it.
CREATE VIEW master_pdrp_opt_out AS
SELECT g.master_id
  FROM golden_record g
 WHERE g.entity_type = 'hcp'
   AND g.attributes @> '{"consents": {"value": [{"channel": "pdrp", "status": "opted_out"}]}}';

-- Rx facts as exports to sales representatives must read them: credited to the surviving master (a merge chain is
-- one hop deep: merges repoint replaced_by), flagged when that physician, or the retired one the fact still names,
-- opted out of PDRP; `resolved` false when no physician is known yet (nobody can tell whether they opted out).
-- src/privacy/rx-for-reps.ts `listRxFactsForReps` leaves both out unless asked.
CREATE VIEW rx_fact_for_reps AS
SELECT f.source_record_id, f.draft_key,
       COALESCE(m.replaced_by, f.master_id) AS master_id,
       f.prescriber, f.product, f.period_end, f.grain, f.measures, f.suppressed,
       f.master_id IS NOT NULL AS resolved,
       (f.master_id IN (SELECT master_id FROM master_pdrp_opt_out)
        OR m.replaced_by IN (SELECT master_id FROM master_pdrp_opt_out)) IS TRUE AS pdrp_opted_out
  FROM rx_fact f
  JOIN source_record s ON s.id = f.source_record_id AND NOT s.deleted
  LEFT JOIN master_entity m ON m.id = f.master_id;
