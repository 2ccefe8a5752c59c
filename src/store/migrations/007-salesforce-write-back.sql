-- Salesforce write-back (connectors/salesforce/write-back.ts): how far each connector has read the outbox, and the
-- CRM records whose last upsert failed, with the values to write, so the next pass retries them.
CREATE TABLE salesforce_write_back_cursor (
  connector      text        PRIMARY KEY,
  last_outbox_id bigint      NOT NULL DEFAULT 0,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE salesforce_write_back_failure (
  connector   text        NOT NULL,
  object      text        NOT NULL,
  crm_id      text        NOT NULL,
  master_id   text,
  fields      jsonb       NOT NULL,
  error_code  text        NOT NULL,
  message     text        NOT NULL,
  attempts    integer     NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connector, object, crm_id)
);
