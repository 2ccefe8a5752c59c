-- Distributor sales-out facts (867 lines through the distributor-edi connector and its `sales_fact` mapping).
-- One row per source record version's sales_fact draft: (source_record_id, draft_key) is the key, like the
-- crosswalk. A replaced report's lines are overwritten under the same source ids, and the lines the replacement
-- no longer has are source-record tombstones (`deleted`), so a query joining source_record on `NOT deleted` never
-- counts a superseded line. ship_to_master_id is filled when the ship-to resolves to a master organization.
CREATE TABLE sales_fact (
  source_record_id  bigint      NOT NULL REFERENCES source_record (id) ON DELETE CASCADE,
  draft_key         text        NOT NULL DEFAULT 'sale',
  connector         text        NOT NULL,
  distributor_id    text        NOT NULL,
  report_number     text,
  report_purpose    text        CHECK (report_purpose IN ('original', 'replace')),
  line_number       integer,
  ship_to           jsonb       NOT NULL DEFAULT '{}',
  ship_to_master_id text        REFERENCES master_entity (id),
  ndc11             char(11),
  upc               text,
  period_start      date,
  period_end        date        NOT NULL,
  period_grain      text        NOT NULL CHECK (period_grain IN ('week', 'month', 'quarter', 'year')),
  transfer_type     text,
  quantity          numeric     NOT NULL,
  unit              text,
  unit_price        numeric,
  amount            numeric,
  contract          text,
  invoice           text,
  lot               text,
  expiry            date,
  loaded_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_record_id, draft_key)
);
CREATE INDEX sales_fact_report ON sales_fact (connector, distributor_id, report_number);
CREATE INDEX sales_fact_product_period ON sales_fact (ndc11, period_end);
CREATE INDEX sales_fact_ship_to_master ON sales_fact (ship_to_master_id) WHERE ship_to_master_id IS NOT NULL;
