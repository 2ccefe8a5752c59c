import type { Logger } from 'pino';
import { TransientError, type Batch, type RawRecord, type ReadContext } from '../../src/sdk/index.js';
import { createQueryJob, readResultPage, waitForQueryJob } from './bulk-query.js';
import type { SalesforceClient } from './client.js';
import type { SalesforceConfig, StreamConfig } from './config.js';
import { fromCsvRow, fromRestRecord, selectableFields, tombstone, toRawRecord, type FieldInfo, type RecordShape } from './records.js';

/** A position in `ORDER BY SystemModstamp, Id`. */
export type Position = { watermark: string; lastId: string };

/**
 * Saved after every batch. `watermark`/`lastId` is the position reached; `mode` says what was in progress:
 * - `idle`: the last run finished; the next one reads from `watermark` minus the overlap window.
 * - `rest`: interrupted while paging; resume strictly after (`watermark`, `lastId`).
 * - `bulk`: a Bulk API 2.0 job was running: resume it (`bulkJobId`) at `locator` + `offset` rows; if the job is
 *   gone, start again from `jobFrom`.
 * - `deletes`: interrupted while reading deletes; resume after `deletesPosition`.
 * `runFrom` is where the run began (deletes are looked for from there). `knownFields` is describe's field list,
 * so the next run can say which fields are new.
 */
export type SalesforceCheckpoint = {
  mode: 'idle' | 'rest' | 'bulk' | 'deletes';
  watermark?: string;
  lastId?: string;
  runFrom?: string | null;
  bulkJobId?: string;
  locator?: string | null;
  offset?: number;
  pageSize?: number;
  jobFrom?: { filter: string; high?: Position };
  high?: Position;
  deletesPosition?: Position;
  knownFields?: string[];
  warnings?: string[];
};

export type DriftWarning = { code: string; object: string; field: string; message: string };

type StreamPlan = {
  shape: RecordShape;
  soqlFields: string[];
  warnings: DriftWarning[];
  knownFields: string[];
};

const SYSTEM_FIELDS = ['Id', 'SystemModstamp'];

/**
 * Which fields to read: the configured list checked against describe, or all of describe. Drift is a warning:
 * a configured field that is gone is dropped from the query, a field that is new since the last run is reported
 * (and read, when no list is configured). Warnings are logged (`warn.salesforce.*` codes) and kept in the
 * checkpoint; they never fail the run.
 */
export async function planStream(client: SalesforceClient, config: SalesforceConfig, stream: StreamConfig, previousFields: string[] | undefined): Promise<StreamPlan> {
  const { body } = await client.request<{ fields: FieldInfo[] }>({ method: 'GET', url: `/sobjects/${stream.object}/describe` });
  const described = selectableFields(body.fields.map((f) => ({ name: f.name, type: f.type })));
  const byName = new Map(described.map((f) => [f.name.toLowerCase(), f]));
  const warnings: DriftWarning[] = [];
  let fields: FieldInfo[];
  const aliases: Record<string, string> = {};
  const wanted = stream.fields ? [...SYSTEM_FIELDS, ...stream.fields] : undefined;
  if (stream.object === 'Account' && config.networkIdField) {
    aliases.Crosswalk_Network_Id = config.networkIdField;
    if (wanted) wanted.push(config.networkIdField);
  }
  if (wanted) {
    fields = [];
    const seen = new Set<string>();
    for (const name of wanted) {
      const f = byName.get(name.toLowerCase());
      if (seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      if (f) fields.push(f);
      else warnings.push({ code: 'warn.salesforce.field_missing', object: stream.object, field: name, message: `${stream.object}.${name} is configured but describe does not list it (deleted, renamed, or hidden from the integration user): it is left out of the query.` });
    }
  } else {
    fields = described;
  }
  for (const alias of Object.keys(aliases)) {
    if (!fields.some((f) => f.name === aliases[alias])) delete aliases[alias];
  }
  if (previousFields) {
    const before = new Set(previousFields.map((n) => n.toLowerCase()));
    for (const f of described) {
      if (!before.has(f.name.toLowerCase())) {
        warnings.push({
          code: 'warn.salesforce.field_new',
          object: stream.object,
          field: f.name,
          message: `${stream.object}.${f.name} is new in describe since the last run${wanted ? ' (not in the configured field list, so not read)' : ': it is read from now on'}.`,
        });
      }
    }
  }
  return {
    shape: { fields, relatedFields: stream.relatedFields, aliases },
    soqlFields: [...fields.map((f) => f.name), ...stream.relatedFields],
    warnings,
    knownFields: described.map((f) => f.name).sort(),
  };
}

/** SOQL datetime literal; Salesforce keeps seconds, the milliseconds are there for exact keyset equality. */
export function soqlDateTime(iso: string): string {
  return new Date(iso).toISOString();
}

export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Strictly after a position in `ORDER BY SystemModstamp, Id`. */
export function afterPosition(p: Position): string {
  const at = soqlDateTime(p.watermark);
  return `(SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > ${soqlString(p.lastId)}))`;
}

function minusMinutes(iso: string, minutes: number): string {
  return new Date(new Date(iso).getTime() - minutes * 60_000).toISOString();
}

function laterPosition(a: Position | undefined, b: Position): Position {
  if (!a) return b;
  if (b.watermark > a.watermark) return b;
  if (b.watermark === a.watermark && b.lastId > a.lastId) return b;
  return a;
}

function where(...conditions: Array<string | undefined>): string {
  const parts = conditions.filter((c): c is string => !!c);
  return parts.length ? ` WHERE ${parts.map((c) => (parts.length > 1 ? `(${c})` : c)).join(' AND ')}` : '';
}

type QueryPage = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Array<Record<string, unknown>> };

/**
 * Reads one stream from its checkpoint to now: changed records (REST paging for small deltas, Bulk API 2.0 above
 * `bulkThreshold`), then deletes as tombstones, then a final `idle` checkpoint with the new watermark.
 */
export async function* readStream(client: SalesforceClient, config: SalesforceConfig, stream: StreamConfig, context: ReadContext): AsyncGenerator<Batch> {
  const logger: Logger = context.logger;
  const previous: SalesforceCheckpoint = context.since
    ? { mode: 'idle', watermark: new Date(context.since).toISOString(), runFrom: new Date(context.since).toISOString() }
    : ((context.checkpoint as SalesforceCheckpoint | undefined) ?? { mode: 'idle' });
  await client.connect();
  const plan = await planStream(client, config, stream, previous.knownFields);
  for (const w of plan.warnings) logger.warn({ code: w.code, object: w.object, field: w.field }, w.message);
  const warnings = plan.warnings.map((w) => `${w.code}: ${w.object}.${w.field}`);
  const overlap = context.since ? 0 : config.overlapMinutes;
  // Where this run's window starts, for the deletes phase: kept across resumes of the same run.
  const runFrom: string | null =
    previous.mode === 'idle' ? (previous.watermark ? minusMinutes(previous.watermark, overlap) : null) : (previous.runFrom ?? null);
  const base = { runFrom, knownFields: plan.knownFields, warnings };
  const from = `SELECT ${plan.soqlFields.join(', ')} FROM ${stream.object}`;
  const rejected: NonNullable<Batch['rejected']> = [];
  let high: Position | undefined = previous.mode === 'bulk' ? previous.high : previous.watermark && previous.lastId ? { watermark: previous.watermark, lastId: previous.lastId } : undefined;

  const toRecords = (payloads: Array<Record<string, unknown>>): RawRecord[] => {
    const out: RawRecord[] = [];
    for (const p of payloads) {
      const r = toRawRecord(p, rejected);
      if (r) out.push(r);
    }
    return out;
  };
  const position = (payload: Record<string, unknown> | undefined): Position | undefined =>
    payload && typeof payload.SystemModstamp === 'string' && typeof payload.Id === 'string' ? { watermark: payload.SystemModstamp, lastId: payload.Id } : undefined;

  // ---- changes ---------------------------------------------------------------------------------------------
  let bulkJobId = previous.mode === 'bulk' ? previous.bulkJobId : undefined;
  let jobFilter = previous.mode === 'bulk' ? previous.jobFrom?.filter : undefined;
  let useBulk = previous.mode === 'bulk';
  if (previous.mode === 'idle' || previous.mode === 'rest' || (previous.mode === 'bulk' && !bulkJobId)) {
    const filter =
      previous.mode === 'rest' && previous.watermark && previous.lastId
        ? afterPosition({ watermark: previous.watermark, lastId: previous.lastId })
        : previous.mode === 'bulk'
          ? previous.jobFrom?.filter
          : runFrom
            ? `SystemModstamp >= ${soqlDateTime(runFrom)}`
            : undefined;
    const countQuery = `SELECT COUNT() FROM ${stream.object}${where(filter, stream.where)}`;
    const count = (await client.request<QueryPage>({ method: 'GET', url: `/query?q=${encodeURIComponent(countQuery)}` })).body.totalSize;
    logger.info({ object: stream.object, changed: count, bulk: count > config.bulkThreshold }, 'salesforce changes to read');
    if (count > config.bulkThreshold) {
      jobFilter = filter;
      bulkJobId = undefined;
      useBulk = true;
    } else {
      // REST: keyset-ordered pages; the checkpoint after each batch is the last record's position.
      const soql = `${from}${where(filter, stream.where)} ORDER BY SystemModstamp, Id`;
      let url: string | undefined = `/query?q=${encodeURIComponent(soql)}`;
      let readSoFar = 0;
      while (url) {
        if (context.signal.aborted) return;
        const page: QueryPage = (await client.request<QueryPage>({ method: 'GET', url, headers: { 'Sforce-Query-Options': `batchSize=${config.restPageSize}` } })).body;
        url = page.done ? undefined : page.nextRecordsUrl;
        const payloads = page.records.map((r) => fromRestRecord(plan.shape, r));
        for (let i = 0; i < payloads.length; i += context.batchSize) {
          const slice = payloads.slice(i, i + context.batchSize);
          readSoFar += slice.length;
          // ORDER BY SystemModstamp, Id: the last record is the position reached (Salesforce's Id order decides ties).
          high = position(slice[slice.length - 1]) ?? high;
          if (!high) continue;
          yield {
            records: toRecords(slice),
            rejected: rejected.splice(0),
            checkpoint: { ...base, mode: 'rest', watermark: high.watermark, lastId: high.lastId } satisfies SalesforceCheckpoint,
            progress: count > 0 ? Math.min(1, readSoFar / count) : 1,
          };
        }
      }
    }
  }

  if (useBulk) {
    yield* readBulk();
    if (context.signal.aborted) return;
  }

  async function* readBulk(): AsyncGenerator<Batch> {
    const jobFrom = previous.mode === 'bulk' && previous.jobFrom ? previous.jobFrom : { filter: jobFilter ?? '', ...(high ? { high } : {}) };
    const pageSize = previous.mode === 'bulk' && previous.pageSize ? previous.pageSize : config.bulkPageSize;
    let locator: string | undefined = previous.mode === 'bulk' && bulkJobId ? (previous.locator ?? undefined) : undefined;
    let skip = previous.mode === 'bulk' && bulkJobId ? (previous.offset ?? 0) : 0;
    let job = bulkJobId ? await waitForQueryJob(client, bulkJobId, { pollIntervalMs: config.bulkPollIntervalMs, pollTimeoutMs: config.bulkPollTimeoutMs, signal: context.signal }).catch(async (error: unknown) => {
      if (error instanceof TransientError && error.code === 'salesforce.bulk_job_failed') return undefined;
      throw error;
    }) : undefined;
    if (bulkJobId && !job) {
      logger.warn({ code: 'warn.salesforce.bulk_job_lost', jobId: bulkJobId }, 'the bulk job of the interrupted run is gone or failed: starting a new one from the same point');
      locator = undefined;
      skip = 0;
      high = jobFrom.high;
    }
    if (!job) {
      const soql = `${from}${where(jobFrom.filter || undefined, stream.where)}`;
      const created = await createQueryJob(client, soql);
      bulkJobId = created.id;
      logger.info({ jobId: bulkJobId, object: stream.object }, 'salesforce bulk query job created');
      // Saved before waiting, so a retry polls this job rather than creating another.
      yield { records: [], checkpoint: { ...base, mode: 'bulk', bulkJobId, locator: null, offset: 0, pageSize, jobFrom, ...(high ? { high } : {}) } satisfies SalesforceCheckpoint };
      job = await waitForQueryJob(client, bulkJobId, { pollIntervalMs: config.bulkPollIntervalMs, pollTimeoutMs: config.bulkPollTimeoutMs, signal: context.signal });
      if (!job) throw new TransientError('salesforce.bulk_job_lost', `Bulk API 2.0 job ${bulkJobId} disappeared while it ran.`);
    }
    if (context.signal.aborted || job.state !== 'JobComplete') return;
    const total = job.numberRecordsProcessed ?? 0;
    let done = 0;
    for (;;) {
      if (context.signal.aborted) return;
      const pageLocator = locator;
      const page = await readResultPage(client, bulkJobId!, pageLocator, pageSize);
      const payloads = page.rows.map((row) => fromCsvRow(plan.shape, row));
      for (let i = skip; i < payloads.length; i += context.batchSize) {
        const slice = payloads.slice(i, i + context.batchSize);
        for (const p of slice) {
          const at = position(p);
          if (at) high = laterPosition(high, at);
        }
        const end = i + slice.length;
        const pageDone = end >= payloads.length;
        done += slice.length;
        yield {
          records: toRecords(slice),
          rejected: rejected.splice(0),
          checkpoint: {
            ...base,
            mode: 'bulk',
            bulkJobId,
            jobFrom,
            pageSize,
            locator: pageDone ? (page.nextLocator ?? null) : (pageLocator ?? null),
            offset: pageDone ? 0 : end,
            ...(high ? { high } : {}),
          } satisfies SalesforceCheckpoint,
          progress: total > 0 ? Math.min(1, done / total) : undefined,
        };
        if (context.signal.aborted) return;
      }
      skip = 0;
      if (!page.nextLocator) break;
      locator = page.nextLocator;
    }
  }

  // ---- deletes ---------------------------------------------------------------------------------------------
  const after = high;
  if (stream.deletes !== 'none' && runFrom) {
    if (stream.deletes === 'queryAll') {
      const resume = previous.mode === 'deletes' ? previous.deletesPosition : undefined;
      const filter = resume ? afterPosition(resume) : `SystemModstamp >= ${soqlDateTime(runFrom)}`;
      const soql = `SELECT Id, SystemModstamp FROM ${stream.object}${where('IsDeleted = true', filter)} ORDER BY SystemModstamp, Id`;
      let url: string | undefined = `/queryAll?q=${encodeURIComponent(soql)}`;
      while (url) {
        if (context.signal.aborted) return;
        const page: QueryPage = (await client.request<QueryPage>({ method: 'GET', url })).body;
        url = page.done ? undefined : page.nextRecordsUrl;
        if (page.records.length === 0) continue;
        const records = page.records.map((r) => tombstone(String(r.Id), typeof r.SystemModstamp === 'string' ? new Date(r.SystemModstamp).toISOString() : undefined)).filter((r): r is RawRecord => !!r);
        const last = records[records.length - 1];
        const deletesPosition = { watermark: String(last?.sourceUpdatedAt ?? runFrom), lastId: String(last?.sourceId ?? '') };
        yield { records, checkpoint: { ...base, mode: 'deletes', ...(after ? { watermark: after.watermark, lastId: after.lastId } : {}), deletesPosition } satisfies SalesforceCheckpoint };
      }
    } else {
      // getDeleted: minute granularity, about 30 days back at most.
      const oldest = Date.now() - 29 * 24 * 3600_000;
      let start = new Date(runFrom).getTime();
      if (start < oldest) {
        logger.warn({ code: 'warn.salesforce.deletes_too_old', object: stream.object }, 'the last run is older than the deleted-records retention: deletes before that are not seen; run a full resync to catch them');
        start = oldest;
      }
      const params = new URLSearchParams({ start: new Date(start).toISOString(), end: new Date().toISOString() });
      const { body } = await client.request<{ deletedRecords: Array<{ id: string; deletedDate: string }> }>({ method: 'GET', url: `/sobjects/${stream.object}/deleted/?${params}` });
      const records = body.deletedRecords.map((d) => tombstone(d.id, new Date(d.deletedDate).toISOString())).filter((r): r is RawRecord => !!r);
      for (let i = 0; i < records.length; i += context.batchSize) {
        yield { records: records.slice(i, i + context.batchSize), checkpoint: { ...base, mode: 'deletes', ...(after ? { watermark: after.watermark, lastId: after.lastId } : {}), deletesPosition: { watermark: runFrom, lastId: '' } } satisfies SalesforceCheckpoint };
      }
    }
  }

  // ---- done ------------------------------------------------------------------------------------------------
  logger.info({ object: stream.object, apiCalls: client.budget.calls, apiUsage: client.budget.usage }, 'salesforce stream read');
  yield {
    records: [],
    rejected: rejected.splice(0),
    checkpoint: { mode: 'idle', knownFields: plan.knownFields, warnings, ...(after ? { watermark: after.watermark, lastId: after.lastId } : {}) } satisfies SalesforceCheckpoint,
    progress: 1,
  };
}
