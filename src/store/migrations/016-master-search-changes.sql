-- The API's search index (src/api/search) holds the keys of every master_search row in memory and follows the
-- store by reading what changed since it last looked. Each row carries the transaction that last wrote it, and a
-- deleted row leaves a tombstone, so a reader that remembers the oldest transaction still running when it last
-- read (its horizon) finds every change committed since: rows whose writer is at or after that horizon.

ALTER TABLE master_search ADD COLUMN changed_xid xid8;

CREATE FUNCTION master_search_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.changed_xid := pg_current_xact_id();
  RETURN NEW;
END;
$$;
CREATE TRIGGER master_search_stamp BEFORE INSERT OR UPDATE ON master_search
  FOR EACH ROW EXECUTE FUNCTION master_search_stamp();
CREATE INDEX master_search_changed ON master_search (changed_xid);

-- Masters whose search row was deleted (their golden record went: erasure), with the transaction that deleted it.
-- A row written again later is found by its own stamp; the reader ignores a tombstone whose row exists.
CREATE TABLE master_search_removed (
  master_id   text PRIMARY KEY,
  removed_xid xid8 NOT NULL
);
CREATE INDEX master_search_removed_xid ON master_search_removed (removed_xid);

CREATE FUNCTION master_search_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO master_search_removed AS r (master_id, removed_xid)
  SELECT DISTINCT o.master_id, pg_current_xact_id() FROM old_rows o
  ON CONFLICT (master_id) DO UPDATE SET removed_xid = excluded.removed_xid;
  RETURN NULL;
END;
$$;
CREATE TRIGGER master_search_tombstone AFTER DELETE ON master_search
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION master_search_tombstone();
