import { parse } from 'csv-parse/sync';
import { ConfigError, TransientError } from '../../src/sdk/index.js';
import type { SalesforceClient } from './client.js';

export type BulkJobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
export type BulkJobInfo = { id: string; state: BulkJobState; numberRecordsProcessed?: number; errorMessage?: string };

/** Bulk API 2.0 query jobs: create, poll, read CSV result pages by `Sforce-Locator`. */
export async function createQueryJob(client: SalesforceClient, soql: string): Promise<BulkJobInfo> {
  const { body } = await client.request<BulkJobInfo>({
    method: 'POST',
    url: '/jobs/query',
    body: { operation: 'query', query: soql, contentType: 'CSV', columnDelimiter: 'COMMA', lineEnding: 'LF' },
  });
  return body;
}

export async function getQueryJob(client: SalesforceClient, jobId: string): Promise<BulkJobInfo | undefined> {
  try {
    return (await client.request<BulkJobInfo>({ method: 'GET', url: `/jobs/query/${encodeURIComponent(jobId)}` })).body;
  } catch (error) {
    // Results are kept for 7 days; after that the job is gone and the caller starts a new one.
    if (error instanceof ConfigError && /not_found|404/i.test(error.code + error.message)) return undefined;
    throw error;
  }
}

/**
 * Waits until the job is complete. Failed and Aborted jobs throw: a failure that names a bad query is a config
 * error, anything else transient. The poll timeout is transient too: the checkpoint holds the job id, so the
 * retried run polls the same job instead of starting another.
 */
export async function waitForQueryJob(
  client: SalesforceClient,
  jobId: string,
  options: { pollIntervalMs: number; pollTimeoutMs: number; signal: AbortSignal },
): Promise<BulkJobInfo | undefined> {
  const started = Date.now();
  for (;;) {
    const job = await getQueryJob(client, jobId);
    if (!job) return undefined;
    if (job.state === 'JobComplete') return job;
    if (job.state === 'Failed' || job.state === 'Aborted') {
      const message = job.errorMessage ?? job.state;
      if (/INVALID_FIELD|MALFORMED_QUERY|INVALID_TYPE|No such column/i.test(message)) {
        throw new ConfigError('salesforce.bulk_query_invalid', `Bulk API 2.0 job ${jobId} failed: ${message}. Check the stream's fields and where clause.`);
      }
      throw new TransientError('salesforce.bulk_job_failed', `Bulk API 2.0 job ${jobId} ended ${job.state}: ${message}. The next attempt starts a new job.`);
    }
    if (Date.now() - started >= options.pollTimeoutMs) {
      throw new TransientError(
        'salesforce.bulk_poll_timeout',
        `Bulk API 2.0 job ${jobId} was still ${job.state} after ${Math.round(options.pollTimeoutMs / 1000)} s (bulkPollTimeoutMs): the next attempt goes on waiting for the same job.`,
        { retryAt: Date.now() + options.pollIntervalMs },
      );
    }
    if (options.signal.aborted) return job;
    await new Promise((r) => setTimeout(r, options.pollIntervalMs));
  }
}

export type ResultPage = { rows: Array<Record<string, string>>; nextLocator: string | undefined };

/** One CSV page. `nextLocator` is undefined when the header says `null` (the last page). */
export async function readResultPage(client: SalesforceClient, jobId: string, locator: string | undefined, maxRecords: number): Promise<ResultPage> {
  const params = new URLSearchParams({ maxRecords: String(maxRecords) });
  if (locator) params.set('locator', locator);
  const { body, headers } = await client.request<string>({ method: 'GET', url: `/jobs/query/${encodeURIComponent(jobId)}/results?${params}`, text: true, headers: { accept: 'text/csv' } });
  const text = typeof body === 'string' ? body : '';
  const rows = text.trim() === '' ? [] : (parse(text, { columns: true, skip_empty_lines: true, relax_column_count: false }) as Array<Record<string, string>>);
  const next = headers['sforce-locator'];
  return { rows, nextLocator: next && next !== 'null' ? next : undefined };
}
