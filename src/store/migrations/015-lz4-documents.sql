-- The large JSON documents (payloads, drafts, golden records and their history) are compressed with lz4 where the
-- server has it: several times faster to compress than the default pglz, which showed in the cost of writing a
-- batch of golden records. Applies to values written from now on; a server without lz4 keeps pglz.
DO $$
BEGIN
  ALTER TABLE source_record ALTER COLUMN payload SET COMPRESSION lz4;
  ALTER TABLE normalized_record ALTER COLUMN drafts SET COMPRESSION lz4;
  ALTER TABLE golden_record ALTER COLUMN attributes SET COMPRESSION lz4;
  ALTER TABLE golden_record_history ALTER COLUMN attributes SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  RAISE NOTICE 'lz4 compression is not available here; documents stay compressed with pglz';
END
$$;
