-- Incremental master resolution.
--
-- match_pending is the match stage's inbox: one row per entity type and source record whose normalized form
-- was written since master resolution last looked at it. Triggers on normalized_record keep it, so no writer
-- (a sync batch, a quarantine replay, an erasure, a script) can change drafts behind the resolver's back.
-- Resolution removes exactly the rows it read (same seq), so a change committed while it ran stays for the next.
CREATE SEQUENCE match_pending_seq;
CREATE TABLE match_pending (
  entity_type      text   NOT NULL CHECK (entity_type IN ('hcp', 'hco')),
  source_record_id bigint NOT NULL,
  seq              bigint NOT NULL DEFAULT nextval('match_pending_seq'),
  PRIMARY KEY (entity_type, source_record_id)
);

CREATE FUNCTION match_pending_from_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- changed_rows: the statement's new rows (insert, update) or old rows (delete).
  INSERT INTO match_pending (entity_type, source_record_id)
  SELECT t.entity_type, c.source_record_id FROM changed_rows c CROSS JOIN (VALUES ('hcp'), ('hco')) AS t(entity_type)
  ON CONFLICT (entity_type, source_record_id) DO UPDATE SET seq = nextval('match_pending_seq');
  RETURN NULL;
END $$;

CREATE TRIGGER normalized_record_inserted AFTER INSERT ON normalized_record
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION match_pending_from_rows();
CREATE TRIGGER normalized_record_updated AFTER UPDATE ON normalized_record
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION match_pending_from_rows();
CREATE TRIGGER normalized_record_deleted AFTER DELETE ON normalized_record
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION match_pending_from_rows();

INSERT INTO match_pending (entity_type, source_record_id)
SELECT t.entity_type, n.source_record_id FROM normalized_record n CROSS JOIN (VALUES ('hcp'), ('hco')) AS t(entity_type);

-- A resolver process keeps its matcher index between jobs while nobody else changed the crosswalk. Every
-- statement on crosswalk that is not master resolution's own (a steward merge or unmerge, an erasure) moves
-- both generations; resolution moves its entity type's generation once per run and checks that nobody else
-- did in between (src/pipeline/master-index-cache.ts).
CREATE TABLE master_generation (
  entity_type text   PRIMARY KEY CHECK (entity_type IN ('hcp', 'hco')),
  value       bigint NOT NULL DEFAULT 0
);
INSERT INTO master_generation (entity_type) VALUES ('hcp'), ('hco');

CREATE FUNCTION crosswalk_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('crosswalk.resolving', true) IS DISTINCT FROM 'on' THEN
    UPDATE master_generation SET value = value + 1;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER crosswalk_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON crosswalk
  FOR EACH STATEMENT EXECUTE FUNCTION crosswalk_changed();
