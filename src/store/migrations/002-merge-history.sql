-- Every merge and unmerge as an event: which members moved from the loser to the winner, who did it and why.
-- Unmerge reads it to restore the retired id with exactly the members it had.
CREATE TABLE merge_event (
  id          bigserial   PRIMARY KEY,
  entity_type text        NOT NULL,
  winner_id   text        NOT NULL REFERENCES master_entity (id),
  loser_id    text        NOT NULL REFERENCES master_entity (id),
  member_refs jsonb       NOT NULL,
  actor       text        NOT NULL,
  reason      text        NOT NULL DEFAULT '',
  score       double precision,
  merged_at   timestamptz NOT NULL DEFAULT now(),
  undone_at   timestamptz,
  undone_by   text
);
CREATE INDEX merge_event_winner ON merge_event (winner_id);
CREATE INDEX merge_event_loser ON merge_event (loser_id);

-- Steward pins: a chosen value that overrides survivorship until removed.
CREATE TABLE attribute_pin (
  master_id  text        NOT NULL REFERENCES master_entity (id),
  attribute  text        NOT NULL,
  value      jsonb       NOT NULL,
  pinned_by  text        NOT NULL,
  reason     text        NOT NULL DEFAULT '',
  pinned_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (master_id, attribute)
);

CREATE INDEX golden_record_display_name ON golden_record (lower(display_name));
