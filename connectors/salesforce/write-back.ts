import type { Logger } from 'pino';
import type { Queryable } from '../../src/store/database.js';
import { getGoldenRecord, parseMemberRef } from '../../src/store/master.repository.js';
import { consentsToCrmFields } from '../../src/privacy/consent-write-back.js';
import { salesforceConnector } from './connector.js';
import type { SalesforceClient } from './client.js';
import type { SalesforceConfig } from './config.js';
import type { WriteRequest, WriteResult } from './write.js';

/**
 * Feeds golden-record outbox events back into the CRM. This is the one file of the connector that reads the store
 * (through the `Queryable` it is given): the connector's `write` itself knows nothing of it.
 *
 * One pass: read outbox events after this connector's cursor (`golden.created/updated/merged/unmerged`), find the
 * CRM records linked to each affected master (source records of the write-back stream, through the crosswalk),
 * upsert the master id and the configured golden values into them, and mark the CRM records that came from a
 * merge's loser with the winner. Failed records are kept in `salesforce_write_back_failure` and retried on the next
 * pass; the cursor moves only after the write call returned, so a transient failure (budget, 5xx) repeats the pass.
 * Nothing is created and nothing is deleted in the CRM.
 */
export type WriteBackReport = { events: number; requests: number; written: number; failed: WriteResult['failed']; apiCalls: number; cursor: number };

type OutboxRow = { id: number; topic: string; aggregate_id: string; payload: Record<string, unknown> };

export async function runWriteBack(
  db: Queryable,
  input: {
    connectorId: string;
    config: SalesforceConfig;
    logger?: Logger;
    limit?: number;
    client?: SalesforceClient;
    /** Replaces the connector's write (tests). */
    write?: (requests: WriteRequest[]) => Promise<WriteResult>;
  },
): Promise<WriteBackReport> {
  const wb = input.config.writeBack;
  if (!wb) return { events: 0, requests: 0, written: 0, failed: [], apiCalls: 0, cursor: 0 };
  const { rows: cursorRows } = await db.query<{ last_outbox_id: number }>('SELECT last_outbox_id FROM salesforce_write_back_cursor WHERE connector = $1', [input.connectorId]);
  const cursor = cursorRows[0]?.last_outbox_id ?? 0;
  const { rows: events } = await db.query<OutboxRow>(
    `SELECT id, topic, aggregate_id, payload FROM outbox
      WHERE id > $1 AND topic IN ('golden.created', 'golden.updated', 'golden.merged', 'golden.unmerged')
      ORDER BY id LIMIT $2`,
    [cursor, input.limit ?? 1000],
  );

  const requests = new Map<string, WriteRequest>();
  const put = (crmId: string, masterId: string, fields: Record<string, unknown>) => {
    const previous = requests.get(crmId);
    requests.set(crmId, { crmId, masterId, fields: { ...previous?.fields, ...fields } });
  };
  const crmIdsOf = async (masterIds: string[]): Promise<Map<string, string[]>> => {
    const { rows } = await db.query<{ master_id: string; source_id: string }>(
      `SELECT DISTINCT c.master_id, s.source_id FROM crosswalk c JOIN source_record s ON s.id = c.source_record_id
        WHERE c.master_id = ANY($1::text[]) AND s.connector = $2 AND s.stream = $3 AND NOT s.deleted ORDER BY s.source_id`,
      [masterIds, input.connectorId, wb.stream],
    );
    const byMaster = new Map<string, string[]>();
    for (const r of rows) byMaster.set(r.master_id, [...(byMaster.get(r.master_id) ?? []), r.source_id]);
    return byMaster;
  };
  const stampMaster = async (masterId: string) => {
    const golden = await getGoldenRecord(db, masterId);
    if (!golden || golden.status !== 'active') return;
    const values: Record<string, unknown> = { [wb.masterIdField]: masterId };
    for (const [field, path] of Object.entries(wb.fields)) values[field] = readGoldenPath(golden.attributes, path, masterId) ?? null;
    if (wb.optOuts && golden.entityType === 'hcp') Object.assign(values, consentsToCrmFields(golden.attributes.consents?.value));
    for (const crmId of (await crmIdsOf([masterId])).get(masterId) ?? []) put(crmId, masterId, values);
  };

  for (const event of events) {
    const p = event.payload;
    if (event.topic === 'golden.created' || event.topic === 'golden.updated') {
      await stampMaster(String(p.masterId ?? event.aggregate_id));
    } else if (event.topic === 'golden.merged') {
      const winnerId = String(p.winnerId);
      await stampMaster(winnerId);
      // The CRM records that belonged to the loser: the merge event lists the members that moved.
      const loserCrmIds = await mergeEventCrmIds(db, Number(p.mergeEventId), input.connectorId, wb.stream);
      const winnerCrmIds = ((await crmIdsOf([winnerId])).get(winnerId) ?? []).filter((id) => !loserCrmIds.includes(id));
      for (const crmId of loserCrmIds) {
        put(crmId, winnerId, {
          [wb.masterIdField]: winnerId,
          [wb.mergedIntoMasterField]: winnerId,
          ...(wb.mergedIntoAccountField ? { [wb.mergedIntoAccountField]: winnerCrmIds[0] ?? null } : {}),
        });
      }
    } else if (event.topic === 'golden.unmerged') {
      const restoredId = String(p.restoredId);
      await stampMaster(String(p.winnerId));
      await stampMaster(restoredId);
      for (const crmId of (await crmIdsOf([restoredId])).get(restoredId) ?? []) {
        put(crmId, restoredId, { [wb.mergedIntoMasterField]: null, ...(wb.mergedIntoAccountField ? { [wb.mergedIntoAccountField]: null } : {}) });
      }
    }
  }

  // Records that failed on an earlier pass go again, unless this pass has newer values for them.
  const { rows: failures } = await db.query<{ crm_id: string; master_id: string | null; fields: Record<string, unknown> }>(
    'SELECT crm_id, master_id, fields FROM salesforce_write_back_failure WHERE connector = $1 AND object = $2 ORDER BY updated_at',
    [input.connectorId, wb.object],
  );
  for (const f of failures) if (!requests.has(f.crm_id)) requests.set(f.crm_id, { crmId: f.crm_id, ...(f.master_id ? { masterId: f.master_id } : {}), fields: f.fields });

  const all = [...requests.values()];
  const result: WriteResult = all.length
    ? await (input.write ?? ((r) => salesforceConnector.write(input.config, r, { ...(input.logger ? { logger: input.logger } : {}), ...(input.client ? { client: input.client } : {}) })))(all)
    : { written: [], failed: [], apiCalls: 0 };

  if (result.written.length) {
    await db.query('DELETE FROM salesforce_write_back_failure WHERE connector = $1 AND object = $2 AND crm_id = ANY($3::text[])', [input.connectorId, wb.object, result.written]);
  }
  for (const f of result.failed) {
    await db.query(
      `INSERT INTO salesforce_write_back_failure (connector, object, crm_id, master_id, fields, error_code, message, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (connector, object, crm_id) DO UPDATE
          SET master_id = excluded.master_id, fields = excluded.fields, error_code = excluded.error_code, message = excluded.message,
              attempts = salesforce_write_back_failure.attempts + excluded.attempts, updated_at = now()`,
      [input.connectorId, wb.object, f.crmId, f.masterId ?? null, JSON.stringify(f.fields), f.errorCode, f.message, f.attempts],
    );
  }
  const last = events[events.length - 1]?.id ?? cursor;
  await db.query(
    `INSERT INTO salesforce_write_back_cursor (connector, last_outbox_id) VALUES ($1, $2)
     ON CONFLICT (connector) DO UPDATE SET last_outbox_id = excluded.last_outbox_id, updated_at = now()`,
    [input.connectorId, last],
  );
  if (result.failed.length) input.logger?.warn({ failed: result.failed.map((f) => ({ crmId: f.crmId, code: f.errorCode })) }, 'salesforce write-back: some records failed and will be retried');
  return { events: events.length, requests: all.length, written: result.written.length, failed: result.failed, apiCalls: result.apiCalls, cursor: last };
}

async function mergeEventCrmIds(db: Queryable, mergeEventId: number, connector: string, stream: string): Promise<string[]> {
  if (!Number.isFinite(mergeEventId)) return [];
  const { rows } = await db.query<{ member_refs: string[] }>('SELECT member_refs FROM merge_event WHERE id = $1', [mergeEventId]);
  const ids = (rows[0]?.member_refs ?? []).map((ref) => parseMemberRef(ref).sourceRecordId);
  if (ids.length === 0) return [];
  const { rows: records } = await db.query<{ source_id: string }>(
    'SELECT DISTINCT source_id FROM source_record WHERE id = ANY($1::bigint[]) AND connector = $2 AND stream = $3 AND NOT deleted ORDER BY source_id',
    [ids, connector, stream],
  );
  return records.map((r) => r.source_id);
}

/**
 * A golden value by path: `lastName`, `specialties[0]`, `identifiers[npi]` (the first current item of that type,
 * kind or channel), `addresses[0].city`, or `$masterId`. Items come out as their `value` when they have one.
 */
export function readGoldenPath(attributes: Record<string, { value: unknown }>, path: string, masterId: string): unknown {
  if (path === '$masterId') return masterId;
  const segments = path.match(/[^.[\]]+|\[[^\]]*\]/g) ?? [];
  const [head, ...rest] = segments;
  let current: unknown = head ? attributes[head]?.value : undefined;
  for (const segment of rest) {
    if (current === null || current === undefined) return undefined;
    if (segment.startsWith('[')) {
      const key = segment.slice(1, -1);
      if (!Array.isArray(current)) return undefined;
      current = /^\d+$/.test(key)
        ? current[Number(key)]
        : current.find((item: Record<string, unknown>) => !item.old && (item.type === key || item.kind === key || item.channel === key));
    } else {
      current = (current as Record<string, unknown>)[segment];
    }
  }
  if (current && typeof current === 'object' && !Array.isArray(current) && 'value' in current && rest.length > 0 && rest[rest.length - 1]!.startsWith('[')) {
    return (current as { value: unknown }).value;
  }
  return current;
}
