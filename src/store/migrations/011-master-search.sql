-- Master search reads one narrow row per golden record instead of the golden record itself: the name keys, the
-- primary city and state, specialties and identifiers a search hit shows, and the filter terms (state, city,
-- specialty) as one array. Reading golden_record meant decompressing every candidate's whole attributes
-- document and sorting large candidate sets; here exact, prefix and filtered searches walk a btree in the order
-- they answer in and stop after one page.
--
-- The rows are derived, never written by the application: triggers on golden_record (insert, update, delete)
-- and master_entity (status) keep them, so every write path (master resolution, merge, unmerge, pins, erasure)
-- maintains them without knowing they exist. An erased person's golden record goes, and so does their row.

-- Search key of a name: lowercase, common Latin accents folded, letters and digits only ("O'Reilly" -> oreilly).
CREATE FUNCTION crosswalk_search_key(name text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT nullif(regexp_replace(translate(lower(name), 'áàâäãåāéèêëēíìîïīóòôöõøōúùûüūçñýÿ', 'aaaaaaaeeeeeiiiiiooooooouuuuucnyy'), '[^a-z0-9]+', '', 'g'), '')
$$;

CREATE TABLE master_search (
  master_id    text    PRIMARY KEY,
  entity_type  text    NOT NULL,
  active       boolean NOT NULL,
  display_name text,
  -- lower(display_name) without apostrophes (as the words of a query: "obrien" finds O'Brien), byte-ordered: one
  -- btree serves both `LIKE 'prefix%'` and the order of the answer.
  name_key     text COLLATE "C",
  -- Physicians: search keys of the golden last and first name, for exact "first last" / "last first" lookups.
  last_key     text COLLATE "C",
  first_key    text COLLATE "C",
  -- What a hit shows: the primary address's city and state (else the first address's), specialties, identifiers.
  city         text,
  state        text,
  specialties  text[]  NOT NULL DEFAULT '{}',
  identifiers  jsonb   NOT NULL DEFAULT '[]',
  -- Filter terms: 'state:MA', 'city:BOSTON', 'place:MA:BOSTON' for every address, 'specialty:Cardiology'.
  filters      text[]  NOT NULL DEFAULT '{}'
);
CREATE INDEX master_search_name ON master_search (name_key, master_id) INCLUDE (entity_type, filters) WHERE active;
CREATE INDEX master_search_person ON master_search (last_key, first_key, name_key, master_id) WHERE active AND last_key IS NOT NULL;
CREATE INDEX master_search_filters ON master_search USING gin (filters) WHERE active;
-- Identifier lookups without a type (`identifier=`, `q=` with a value of no known shape, `crosswalk golden <value>`).
CREATE INDEX master_identifier_value ON master_identifier (value);

-- Rebuilds the search rows of the given masters from their golden records and statuses (a master without a golden
-- record has none).
CREATE FUNCTION master_search_refresh(ids text[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM master_search s
   WHERE s.master_id = ANY (ids) AND NOT EXISTS (SELECT 1 FROM golden_record g WHERE g.master_id = s.master_id);
  INSERT INTO master_search AS s (master_id, entity_type, active, display_name, name_key, last_key, first_key, city, state, specialties, identifiers, filters)
  SELECT g.master_id, g.entity_type, coalesce(m.status = 'active', false), g.display_name, replace(lower(g.display_name), '''', ''),
         CASE WHEN g.entity_type = 'hcp' THEN crosswalk_search_key(g.attributes->'lastName'->>'value') END,
         CASE WHEN g.entity_type = 'hcp' THEN crosswalk_search_key(g.attributes->'firstName'->>'value') END,
         p.address->>'city', p.address->>'state',
         coalesce((SELECT array_agg(v ORDER BY n) FROM jsonb_array_elements_text(a.specialties) WITH ORDINALITY x(v, n)), '{}'),
         coalesce((SELECT jsonb_agg(jsonb_build_object('type', i.type, 'value', i.value) ORDER BY i.type, i.value)
                     FROM (SELECT DISTINCT e->>'type' AS type, e->>'value' AS value, coalesce(e->>'issuer', '') AS issuer
                             FROM jsonb_array_elements(a.identifiers) e
                            WHERE e->>'type' IN ('npi', 'dea', 'hin', 'state_license', 'me') AND e->>'value' IS NOT NULL
                              AND NOT (e->'old' IS NOT NULL AND e->'old' NOT IN ('false', 'null', '0', '""'))) i), '[]'),
         coalesce((SELECT array_agg(DISTINCT t) FROM (
                     SELECT 'state:' || (ad->>'state') FROM jsonb_array_elements(a.addresses) ad WHERE ad->>'state' IS NOT NULL
                     UNION ALL SELECT 'city:' || (ad->>'city') FROM jsonb_array_elements(a.addresses) ad WHERE ad->>'city' IS NOT NULL
                     UNION ALL SELECT 'place:' || (ad->>'state') || ':' || (ad->>'city') FROM jsonb_array_elements(a.addresses) ad
                                WHERE ad->>'state' IS NOT NULL AND ad->>'city' IS NOT NULL
                     UNION ALL SELECT 'specialty:' || v FROM jsonb_array_elements_text(a.specialties) v) f(t)), '{}')
    FROM golden_record g
    LEFT JOIN master_entity m ON m.id = g.master_id
    CROSS JOIN LATERAL (SELECT
        CASE WHEN jsonb_typeof(g.attributes->'addresses'->'value') = 'array' THEN g.attributes->'addresses'->'value' ELSE '[]' END AS addresses,
        CASE WHEN jsonb_typeof(g.attributes->'specialties'->'value') = 'array' THEN g.attributes->'specialties'->'value' ELSE '[]' END AS specialties,
        CASE WHEN jsonb_typeof(g.attributes->'identifiers'->'value') = 'array' THEN g.attributes->'identifiers'->'value' ELSE '[]' END AS identifiers) a
    LEFT JOIN LATERAL (SELECT ad AS address FROM jsonb_array_elements(a.addresses) WITH ORDINALITY x(ad, n)
                        ORDER BY (ad->'primary' = 'true') IS TRUE DESC, n LIMIT 1) p ON true
   WHERE g.master_id = ANY (ids)
   ORDER BY g.master_id
  ON CONFLICT (master_id) DO UPDATE SET
    entity_type = excluded.entity_type, active = excluded.active, display_name = excluded.display_name, name_key = excluded.name_key,
    last_key = excluded.last_key, first_key = excluded.first_key, city = excluded.city, state = excluded.state,
    specialties = excluded.specialties, identifiers = excluded.identifiers, filters = excluded.filters;
$$;

-- Statement-level, so a batch of golden records written in one statement refreshes its rows in one statement too.
CREATE FUNCTION master_search_follow_golden() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM master_search_refresh(ARRAY(SELECT master_id FROM old_rows));
  ELSE
    PERFORM master_search_refresh(ARRAY(SELECT master_id FROM new_rows));
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER master_search_golden_insert AFTER INSERT ON golden_record
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION master_search_follow_golden();
CREATE TRIGGER master_search_golden_update AFTER UPDATE ON golden_record
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION master_search_follow_golden();
CREATE TRIGGER master_search_golden_delete AFTER DELETE ON golden_record
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION master_search_follow_golden();

-- A merge retires the loser, an unmerge restores it: only a changed status touches the search rows.
CREATE FUNCTION master_search_follow_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE master_search s SET active = (n.status = 'active')
    FROM new_rows n JOIN old_rows o ON o.id = n.id
   WHERE s.master_id = n.id AND n.status IS DISTINCT FROM o.status;
  RETURN NULL;
END;
$$;
CREATE TRIGGER master_search_status AFTER UPDATE ON master_entity
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION master_search_follow_status();

-- The distinct name words of the master (physicians' last and first name keys), with how many search rows carry
-- each. Fuzzy search looks for words similar to the query's in this dictionary (thousands of words, not a million
-- names), then finds the masters by exact word through master_search_person. Counting, rather than keeping every
-- word ever seen, lets a word go as soon as nobody has it (an erased person's rare surname does not linger).
CREATE TABLE master_search_term (
  term    text COLLATE "C" PRIMARY KEY,
  masters integer NOT NULL
);

-- Applies the net change of each word in one statement, in word order: concurrent writers lock the words they
-- share in the same order, and a word whose count does not change is not touched at all.
CREATE FUNCTION master_search_count_terms() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  terms text[];
  deltas integer[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(d.term ORDER BY d.term), array_agg(d.delta ORDER BY d.term) INTO terms, deltas
      FROM (SELECT v.term, count(*)::int AS delta FROM new_rows n CROSS JOIN LATERAL (VALUES (n.last_key), (n.first_key)) v(term)
             WHERE v.term IS NOT NULL GROUP BY v.term) d;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(d.term ORDER BY d.term), array_agg(d.delta ORDER BY d.term) INTO terms, deltas
      FROM (SELECT v.term, -count(*)::int AS delta FROM old_rows o CROSS JOIN LATERAL (VALUES (o.last_key), (o.first_key)) v(term)
             WHERE v.term IS NOT NULL GROUP BY v.term) d;
  ELSE
    SELECT array_agg(d.term ORDER BY d.term), array_agg(d.delta ORDER BY d.term) INTO terms, deltas
      FROM (SELECT x.term, sum(x.delta)::int AS delta FROM (
              SELECT v.term, 1 AS delta FROM new_rows n CROSS JOIN LATERAL (VALUES (n.last_key), (n.first_key)) v(term) WHERE v.term IS NOT NULL
              UNION ALL
              SELECT v.term, -1 FROM old_rows o CROSS JOIN LATERAL (VALUES (o.last_key), (o.first_key)) v(term) WHERE v.term IS NOT NULL) x
             GROUP BY x.term HAVING sum(x.delta) <> 0) d;
  END IF;
  IF terms IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO master_search_term AS t (term, masters)
  SELECT u.term, u.delta FROM unnest(terms, deltas) AS u(term, delta) ORDER BY u.term
  ON CONFLICT (term) DO UPDATE SET masters = t.masters + excluded.masters;
  DELETE FROM master_search_term WHERE term = ANY (terms) AND masters <= 0;
  RETURN NULL;
END;
$$;
CREATE TRIGGER master_search_terms_insert AFTER INSERT ON master_search
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION master_search_count_terms();
CREATE TRIGGER master_search_terms_update AFTER UPDATE ON master_search
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION master_search_count_terms();
CREATE TRIGGER master_search_terms_delete AFTER DELETE ON master_search
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION master_search_count_terms();

-- Fuzzy name search moves to master_search (where pg_trgm is installed: migration 009 installed it if it could).
DROP INDEX IF EXISTS golden_record_name_trgm;
DROP INDEX IF EXISTS golden_record_name_prefix;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    EXECUTE 'CREATE INDEX master_search_name_trgm ON master_search USING gin (name_key public.gin_trgm_ops) WHERE active';
    -- Without the pending list: every golden write updates the counts of common words, and with fastupdate each
    -- update queued index entries again, so writing a batch of golden records got slower with every batch.
    EXECUTE 'CREATE INDEX master_search_term_trgm ON master_search_term USING gin (term public.gin_trgm_ops) WITH (fastupdate = off)';
  END IF;
END
$$;

-- Every golden record written before this migration.
SELECT master_search_refresh(ARRAY(SELECT master_id FROM golden_record));
