import type { MasterEntityType } from '../model/index.js';
import type { Queryable } from '../store/database.js';

/**
 * Facts (Rx volumes, sales lines) follow the masters their records resolved to. Called inside master
 * resolution's transaction, after the entity type's links are written.
 */
export async function attachFactsToMasters(db: Queryable, entityType: MasterEntityType): Promise<void> {
  if (entityType === 'hcp') await attachRxFacts(db);
}

/** Rx facts follow their prescriber: through the crosswalk of the same feed record, or by NPI. */
async function attachRxFacts(db: Queryable): Promise<void> {
  await db.query(
    `UPDATE rx_fact f SET master_id = c.master_id
       FROM crosswalk c JOIN master_entity m ON m.id = c.master_id AND m.entity_type = 'hcp'
      WHERE c.source_record_id = f.source_record_id AND f.master_id IS DISTINCT FROM c.master_id`,
  );
  await db.query(
    `UPDATE rx_fact f SET master_id = i.master_id
       FROM master_identifier i
      WHERE f.master_id IS NULL AND i.type = 'npi' AND i.value = f.prescriber->>'npi'`,
  );
}
