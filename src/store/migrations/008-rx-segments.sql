-- Rx: the prescriber resolution queue and physician segments derived from Rx facts (src/rx/).

-- Unresolved facts are looked up by their prescriber keys when a new physician arrives.
CREATE INDEX rx_fact_unresolved ON rx_fact (source_record_id) WHERE master_id IS NULL;
CREATE INDEX rx_fact_product_period ON rx_fact (product, period_end);

-- Prescribers whose Rx facts resolve to no physician yet, one row per feed (connector) and prescriber key, with
-- their volume. A prescriber is keyed by the feed's own id when it has one (vendor id), else NPI, ME, DEA. The name
-- comes from the prescriber's physician draft in the same record (Xponent-style mappings emit one), else from the
-- CMS Part D columns of the source record (that mapping emits no physician: it attaches by NPI only).
CREATE VIEW rx_unresolved_prescriber AS
WITH grouped AS (
  SELECT s.connector,
         CASE WHEN f.prescriber ? 'vendorId' THEN 'vendor:' || (f.prescriber->>'vendorId')
              WHEN f.prescriber ? 'npi' THEN 'npi:' || (f.prescriber->>'npi')
              WHEN f.prescriber ? 'me' THEN 'me:' || (f.prescriber->>'me')
              WHEN f.prescriber ? 'dea' THEN 'dea:' || (f.prescriber->>'dea')
              ELSE 'record:' || f.source_record_id END AS prescriber_key,
         max(f.prescriber->>'npi') AS npi,
         max(f.prescriber->>'me') AS me,
         max(f.prescriber->>'vendorId') AS vendor_id,
         max(f.prescriber->>'dea') AS dea,
         count(*) AS facts,
         count(DISTINCT f.product) AS products,
         COALESCE(sum((f.measures->>'trx')::numeric), 0) AS trx,
         COALESCE(sum((f.measures->>'nrx')::numeric), 0) AS nrx,
         min(f.period_end) AS first_period,
         max(f.period_end) AS last_period,
         min(f.source_record_id) AS sample_record_id
    FROM rx_fact f
    JOIN source_record s ON s.id = f.source_record_id AND NOT s.deleted
   WHERE f.master_id IS NULL
   GROUP BY 1, 2
)
SELECT g.connector, g.prescriber_key, g.npi, g.me, g.vendor_id, g.dea,
       COALESCE(h.name, NULLIF(trim(concat_ws(' ', sr.payload->>'Prscrbr_First_Name', sr.payload->>'Prscrbr_Last_Org_Name')), '')) AS name,
       g.facts, g.products, g.trx, g.nrx, g.first_period, g.last_period
  FROM grouped g
  JOIN source_record sr ON sr.id = g.sample_record_id
  LEFT JOIN LATERAL (
    SELECT NULLIF(trim(concat_ws(' ', d->'data'->>'firstName', d->'data'->>'lastName')), '') AS name
      FROM normalized_record n CROSS JOIN LATERAL jsonb_array_elements(n.drafts) d
     WHERE n.source_record_id = g.sample_record_id AND d->>'kind' = 'hcp'
     LIMIT 1
  ) h ON true;

-- Derived attributes of master physicians, recomputed from Rx facts by computeSegments (src/rx/segments.ts).
-- scope 'product' segments one product's prescribers; scope 'market' a named set of competing products.
-- decile 10 = the top prescribers writing the first 10% of the volume ... 1 = the tail (see src/rx/README.md).
-- key_account: among the prescribers who together write 80% of the volume (the 80/20 rule).
-- pdrp_opted_out: the physician opted out of PDRP: the segment is kept, exports to representatives exclude it.
CREATE TABLE physician_segment (
  master_id      text        NOT NULL REFERENCES master_entity (id),
  scope          text        NOT NULL DEFAULT 'product' CHECK (scope IN ('product', 'market')),
  product        text        NOT NULL,
  decile         smallint    NOT NULL CHECK (decile BETWEEN 0 AND 10),
  trx            numeric     NOT NULL,
  share          numeric     NOT NULL,
  key_account    boolean     NOT NULL,
  pdrp_opted_out boolean     NOT NULL DEFAULT false,
  period_from    date,
  period_to      date,
  computed_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, product, master_id)
);
CREATE INDEX physician_segment_master ON physician_segment (master_id);
