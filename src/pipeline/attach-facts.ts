import type { MasterEntityType } from '../model/index.js';
import type { Queryable } from '../store/database.js';

/**
 * Facts (Rx volumes, sales lines, chargebacks) follow the masters their records resolved to. Called inside master
 * resolution's transaction, after the entity type's links are written. Every statement is set-based and only
 * writes the facts whose master is missing or different, since it runs after every match job over every fact.
 */
export async function attachFactsToMasters(db: Queryable, entityType: MasterEntityType): Promise<void> {
  if (entityType === 'hcp') await attachRxFacts(db);
  else for (const facts of CUSTOMER_FACTS) await attachCustomerFacts(db, facts);
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

/**
 * Fact tables whose rows name an indirect customer (an organization): the master column, the customer's own source
 * record (stream and source id in the fact's connector) and the customer as sent (jsonb with `identifiers`).
 * Constants, never input: they are written into the SQL below.
 */
type CustomerFacts = { table: string; master: string; stream: string; sourceId: string; customer: string };
const CUSTOMER_FACTS: readonly CustomerFacts[] = [
  { table: 'sales_fact', master: 'ship_to_master_id', stream: 'ship_to_stream', sourceId: 'ship_to_source_id', customer: 'ship_to' },
  { table: 'chargeback_fact', master: 'customer_master_id', stream: 'customer_stream', sourceId: 'customer_source_id', customer: 'customer' },
];

/** Identifier types that name one organization, strongest first: a fact whose DEA and HIN disagree follows the DEA. */
const CUSTOMER_ID_TYPES = ['dea', 'hin', 'gln', '340b', 'npi'];

/**
 * A customer fact follows the organization master of its customer's source record (the distributor-edi
 * `customers` record of the same id set), through the crosswalk. A fact whose customer has no linked record (its
 * stream not synced, or not matched yet) is attached by identifier instead: the strongest of its DEA, HIN, GLN,
 * 340B id and NPI that names exactly one active organization master. A fact left on a retired master (merged by a
 * steward since) is looked at again.
 */
async function attachCustomerFacts(db: Queryable, t: CustomerFacts): Promise<void> {
  await db.query(
    `UPDATE ${t.table} f SET ${t.master} = NULL
       FROM master_entity m
      WHERE m.id = f.${t.master} AND m.status <> 'active'`,
  );
  await db.query(
    `UPDATE ${t.table} f SET ${t.master} = c.master_id
       FROM source_record s
       JOIN crosswalk c ON c.source_record_id = s.id
       JOIN master_entity m ON m.id = c.master_id AND m.entity_type = 'hco'
      WHERE s.connector = f.connector AND s.stream = f.${t.stream} AND s.source_id = f.${t.sourceId}
        AND f.${t.master} IS DISTINCT FROM c.master_id`,
  );
  await db.query(
    `UPDATE ${t.table} f SET ${t.master} = r.master_id
       FROM (SELECT DISTINCT ON (u.source_record_id, u.draft_key) u.source_record_id, u.draft_key, i.master_id
               FROM ${t.table} u
              CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(u.${t.customer}->'identifiers') = 'array' THEN u.${t.customer}->'identifiers' ELSE '[]'::jsonb END) e(id)
               JOIN master_identifier i ON i.type = e.id->>'type' AND i.value = e.id->>'value'
               JOIN master_entity m ON m.id = i.master_id AND m.entity_type = 'hco' AND m.status = 'active'
              WHERE u.${t.master} IS NULL AND e.id->>'type' = ANY($1::text[])
                AND NOT EXISTS (SELECT 1 FROM master_identifier o JOIN master_entity om ON om.id = o.master_id AND om.entity_type = 'hco' AND om.status = 'active'
                                 WHERE o.type = i.type AND o.value = i.value AND o.master_id <> i.master_id)
              ORDER BY u.source_record_id, u.draft_key, array_position($1::text[], e.id->>'type')) r
      WHERE f.source_record_id = r.source_record_id AND f.draft_key = r.draft_key AND f.${t.master} IS NULL`,
    [CUSTOMER_ID_TYPES],
  );
}
