-- The identity of this master store. Queue keys in Redis carry it, so two stores sharing one Redis (a fresh
-- embedded store beside an old one, a test beside a demo) never see each other's jobs.
CREATE TABLE hub_instance (
  singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
  id         text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO hub_instance (id) VALUES (substr(md5(random()::text || clock_timestamp()::text), 1, 12));
