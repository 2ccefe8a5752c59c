-- Distributor inventory (852) and chargeback (844) facts, facts that follow their customer's organization master,
-- and the days-supply measure of Rx facts. Written by src/store/distributor-fact.repository.ts; attached to masters
-- by src/pipeline/attach-facts.ts.

-- One row per source record version's inventory_fact draft, replaced with it (like rx_fact and sales_fact): the
-- distributor-edi source id is distributor:period end:product:location, so a later report for the same period,
-- product and location replaces the earlier values instead of adding to them.
CREATE TABLE inventory_fact (
  source_record_id    bigint      NOT NULL REFERENCES source_record (id) ON DELETE CASCADE,
  draft_key           text        NOT NULL DEFAULT 'inventory',
  connector           text        NOT NULL,
  distributor_id      text        NOT NULL,
  distributor         jsonb       NOT NULL DEFAULT '{}',
  location_qualifier  text,
  location_id         text,
  location_name       text,
  ndc11               char(11),
  upc                 text,
  gtin                text,
  product_description text,
  period_start        date,
  period_end          date        NOT NULL,
  period_grain        text        NOT NULL CHECK (period_grain IN ('week', 'month', 'quarter', 'year')),
  reporting_code      text,
  on_hand             numeric,
  sold                numeric,
  received            numeric,
  on_order            numeric,
  out_of_stock        numeric,
  unit                text,
  loaded_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_record_id, draft_key)
);
CREATE INDEX inventory_fact_product_period ON inventory_fact (ndc11, period_end);
CREATE INDEX inventory_fact_distributor_period ON inventory_fact (connector, distributor_id, period_end);

-- One row per chargeback claim line draft. A replacing claim (BAA01 05) re-sends the same line keys and the
-- connector deletes the lines it no longer has, so a query joining source_record on NOT deleted never counts a
-- superseded line. customer_master_id is the contract customer's organization master (attach-facts.ts).
CREATE TABLE chargeback_fact (
  source_record_id   bigint      NOT NULL REFERENCES source_record (id) ON DELETE CASCADE,
  draft_key          text        NOT NULL DEFAULT 'chargeback',
  connector          text        NOT NULL,
  distributor_id     text        NOT NULL,
  claim_number       text        NOT NULL,
  claim_purpose      text        CHECK (claim_purpose IN ('original', 'replace', 'other')),
  claim_date         date,
  credit_memo        text,
  contract           text,
  customer           jsonb       NOT NULL DEFAULT '{}',
  customer_stream    text,
  customer_source_id text,
  customer_master_id text        REFERENCES master_entity (id),
  ndc11              char(11),
  upc                text,
  transfer_type      text,
  quantity           numeric     NOT NULL,
  unit               text,
  contract_price     numeric,
  wac                numeric,
  chargeback_amount  numeric,
  invoice            text,
  invoice_date       date,
  lot                text,
  loaded_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_record_id, draft_key)
);
CREATE INDEX chargeback_fact_claim ON chargeback_fact (connector, distributor_id, claim_number);
CREATE INDEX chargeback_fact_contract_product ON chargeback_fact (contract, ndc11);
CREATE INDEX chargeback_fact_customer_master ON chargeback_fact (customer_master_id) WHERE customer_master_id IS NOT NULL;
-- attach-facts.ts: facts join their customer's source record by (connector, stream, source id), and facts still
-- without a master are looked up by identifier; both stay cheap when millions of facts are attached already.
CREATE INDEX chargeback_fact_customer_record ON chargeback_fact (connector, customer_stream, customer_source_id);
CREATE INDEX chargeback_fact_unresolved ON chargeback_fact (source_record_id) WHERE customer_master_id IS NULL;

-- Sales facts name their ship-to's own source record (the customers stream of the same connector) so they follow
-- the organization master it resolves to.
ALTER TABLE sales_fact ADD COLUMN ship_to_stream text;
ALTER TABLE sales_fact ADD COLUMN ship_to_source_id text;
CREATE INDEX sales_fact_ship_to_record ON sales_fact (connector, ship_to_stream, ship_to_source_id);
CREATE INDEX sales_fact_ship_to_unresolved ON sales_fact (source_record_id) WHERE ship_to_master_id IS NULL;

-- Rx measures live in rx_fact.measures (jsonb, one key per RxFact measure), so days supply needs no column of its
-- own; this says which keys there are.
COMMENT ON COLUMN rx_fact.measures IS
  'RxFact measures: trx, nrx, nbrx, units, dollars, claims, fills30Day, beneficiaries, daysSupply (null when suppressed; see the suppressed column)';
