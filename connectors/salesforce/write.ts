import type { Logger } from 'pino';
import type { SalesforceClient } from './client.js';

/**
 * One CRM record to update: `crmId` is the value of the write-back `externalIdField` (the record Id by default),
 * `fields` the values to set (master id, golden values, merge marks). Nothing here creates or deletes a record.
 */
export type WriteRequest = { crmId: string; fields: Record<string, unknown>; masterId?: string };

export type WriteFailure = { crmId: string; masterId?: string; errorCode: string; message: string; attempts: number; fields: Record<string, unknown> };
export type WriteResult = { written: string[]; failed: WriteFailure[]; apiCalls: number };

type CompositeResult = { id?: string; success: boolean; created?: boolean; errors: Array<{ statusCode: string; message: string; fields?: string[] }> };

/** Per-record errors worth another try in a moment: another transaction held the row, or the org was busy. */
const RETRYABLE = new Set(['UNABLE_TO_LOCK_ROW', 'REQUEST_RUNNING_TOO_LONG', 'SERVER_UNAVAILABLE', 'TXN_SECURITY_METERING_ERROR']);

/**
 * Upserts through sObject Collections (`PATCH /composite/sobjects/{type}/{externalIdField}`), 200 records a call,
 * `allOrNone: false` so one bad record does not block the other 199. Retryable per-record failures are tried again
 * up to `maxAttempts`; the rest are returned for the caller to record and retry on a later pass.
 */
export async function upsertRecords(
  client: SalesforceClient,
  target: { object: string; externalIdField: string; maxAttempts: number; retryDelayMs?: number },
  requests: WriteRequest[],
  logger?: Logger,
): Promise<WriteResult> {
  const before = client.budget.calls;
  const written: string[] = [];
  const failed: WriteFailure[] = [];
  let pending = requests.map((r) => ({ ...r, attempts: 0 }));
  while (pending.length > 0) {
    const retry: typeof pending = [];
    for (let i = 0; i < pending.length; i += 200) {
      const chunk = pending.slice(i, i + 200);
      const { body } = await client.request<CompositeResult[]>({
        method: 'PATCH',
        url: `/composite/sobjects/${target.object}/${target.externalIdField}`,
        body: { allOrNone: false, records: chunk.map((r) => ({ attributes: { type: target.object }, ...r.fields, [target.externalIdField]: r.crmId })) },
      });
      chunk.forEach((request, k) => {
        const result = body[k];
        request.attempts += 1;
        if (result?.success) {
          written.push(request.crmId);
          return;
        }
        const error = result?.errors[0] ?? { statusCode: 'NO_RESULT', message: 'Salesforce returned no result for this record' };
        if (RETRYABLE.has(error.statusCode) && request.attempts < target.maxAttempts) retry.push(request);
        else failed.push({ crmId: request.crmId, ...(request.masterId ? { masterId: request.masterId } : {}), errorCode: error.statusCode, message: error.message, attempts: request.attempts, fields: request.fields });
      });
    }
    if (retry.length > 0) {
      logger?.info({ retry: retry.length }, 'salesforce write-back: retrying records that were locked');
      await new Promise((r) => setTimeout(r, target.retryDelayMs ?? 1000));
    }
    pending = retry;
  }
  return { written, failed, apiCalls: client.budget.calls - before };
}
