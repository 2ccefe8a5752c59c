-- The PDRP opt-out view needs containment on the consents only. A GIN index over the whole attributes document
-- (every value and its lineage) doubled the cost of writing a golden record; one over the consents serves the
-- same query.
DROP INDEX golden_record_attributes;
CREATE INDEX golden_record_consents ON golden_record USING gin ((attributes->'consents') jsonb_path_ops);

CREATE OR REPLACE VIEW master_pdrp_opt_out AS
SELECT g.master_id
  FROM golden_record g
 WHERE g.entity_type = 'hcp'
   AND g.attributes->'consents' @> '{"value": [{"channel": "pdrp", "status": "opted_out"}]}';
