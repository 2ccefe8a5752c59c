import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { buildAcknowledgements } from '../../src/edi/ack/index.js';
import { readX12Transactions, type ReportPurpose, type TransactionRecord } from '../../src/edi/transactions/index.js';
import { formatIssue, readFileChunks, type InterchangeHeader, type InterchangeResult, type SetHeader, type SetResult, type X12Issue } from '../../src/edi/x12/index.js';
import { ConfigError, defineConnector, type Batch, type Checkpoint, type RawRecord } from '../../src/sdk/index.js';
import { checkSftp, pickUpFromSftp, settleSftpPickups, SftpPickupSchema } from '../../src/sdk/sftp-pickup.js';
import { hashFile, isInside, listInbox, moveInto, prepareInbox, writeErrorReport, type InboxDirs } from './inbox.js';
import { chargebackKey, chargebackRecord, claimNumberOf, customerRecord, inventoryRecords, purposeOf, salesKey, salesRecord, type FileContext, type Payload } from './records.js';

export const EDI_STREAMS = ['customers', 'sales', 'inventory', 'chargebacks'] as const;
export type EdiStream = (typeof EDI_STREAMS)[number];

const RECORD_KIND: Record<EdiStream, TransactionRecord['kind']> = {
  customers: 'customer',
  sales: 'sales-line',
  inventory: 'inventory',
  chargebacks: 'chargeback-line',
};
/** The stream that reports a rejected set when none of its records could even be read (and unknown set types). */
const SET_OWNER: Record<string, EdiStream> = { '867': 'sales', '852': 'inventory', '844': 'chargebacks' };

const ConfigSchema = z.object({
  /** The connector's folder, relative to the workspace: inbox/, archive/, error/, outbox/ are created under it. */
  folder: z.string().min(1),
  /** The distributor key in source ids; defaults to each interchange's sender id (ISA06). */
  distributorId: z.string().min(1).optional(),
  /** The streams this instance syncs: a file is archived once every one of them has read it. */
  streams: z.array(z.enum(EDI_STREAMS)).min(1).default([...EDI_STREAMS]),
  /** Longest segment accepted, in bytes; a longer one rejects its transaction set instead of exhausting memory. */
  maxSegmentLength: z.number().int().min(106).max(16 * 1024 * 1024).default(65_536),
  encoding: z.enum(['utf8', 'latin1']).default('utf8'),
  /** Write a 997/999 per functional group into outbox/ when a file is archived. */
  acknowledgements: z.boolean().default(true),
  /**
   * `true` (a real inbox): a file read by every stream moves to archive/ and is acknowledged. `false`: files are
   * read in place and never moved or acknowledged; the checkpoint (in the store) alone remembers which contents
   * were read, so a fresh store reads them again. For a folder another system mirrors, and for the demo.
   */
  archive: z.boolean().default(true),
  /** How many processed file hashes the checkpoint remembers (the .state folder remembers all). */
  historySize: z.number().int().min(10).default(10_000),
  /** The AMT01 qualifier that carries a chargeback line's WAC in this partner's 844 (partner guides differ). */
  wacAmountQualifier: z.string().min(1).max(3).optional(),
  /** Pick files up from an SFTP server into inbox/ before each run (src/sdk/sftp-pickup.ts). */
  sftp: SftpPickupSchema.optional(),
});
export type DistributorEdiConfig = z.infer<typeof ConfigSchema>;

type ReportEntry = { lines: number; purpose: ReportPurpose; hash: string; set: string; file: string };
/** A chargeback claim's last accepted version: its line count per CON loop, in order. */
type ClaimEntry = { cons: number[]; purpose: ReportPurpose; hash: string; set: string; file: string };
export type EdiCheckpoint = {
  processed: string[];
  /** Sales stream: the last accepted version of each report, keyed `distributor:report number`. */
  reports: Record<string, ReportEntry>;
  /** Chargebacks stream: the last accepted version of each claim, keyed `distributor:claim number`. */
  claims: Record<string, ClaimEntry>;
  /** The file being read when the last batch was stored, and how many items of it were handed over. */
  current?: { hash: string; emitted: number };
};

type Rejected = NonNullable<Batch['rejected']>[number];
type Item = { record: RawRecord } | { rejected: Rejected };

type SetSurvey = {
  result: SetResult;
  interchange: InterchangeHeader;
  report?: { number: string; purpose: ReportPurpose; lines: number };
  /** An 844's claim: its number, BAA01 purpose and line count per CON loop. */
  claim?: { number: string; purpose: ReportPurpose; cons: number[] };
  records: Partial<Record<TransactionRecord['kind'], number>>;
};
type FileSurvey = { interchanges: InterchangeResult[]; fileIssues: X12Issue[]; sets: Map<string, SetSurvey> };

const setKey = (h: SetHeader): string => `${h.interchangeIndex}.${h.groupIndex}.${h.index}`;

/**
 * Distributor EDI from a file inbox: 867 sales (customers and sales lines), 852 inventory, 844 chargebacks.
 *
 * Each file is read twice, streaming, in constant memory: a survey pass validates envelopes and decides each
 * transaction set's fate, then the stream's pass hands over records of accepted sets and puts the records of
 * rejected sets in `rejected` with the reason, so one bad set never costs the good ones. Files are recognised by
 * content hash (a re-sent file is not read again) and archived once every configured stream has read them.
 * A BPT 05 replace report supersedes the earlier report with the same number: see `README.md`.
 */
export const distributorEdiConnector = defineConnector({
  type: 'distributor-edi',
  description: 'Wholesaler EDI (ASC X12 867 sales, 852 inventory, 844 chargebacks) from a file inbox, with 997/999 acknowledgements.',
  configSchema: ConfigSchema,
  discover: (config) =>
    config.streams.map((name) => {
      switch (name) {
        case 'customers':
          return { name, description: 'Ship-to customers (867 PTD and 844 CON N1 loops) with every identifier', primaryKey: ['sourceId'] };
        case 'sales':
          return { name, description: '867 sales lines (report number + line)', primaryKey: ['reportNumber', 'lineNumber'] };
        case 'inventory':
          return { name, description: '852 product activity (on hand, sold, received, on order, out of stock) per product, location and period', primaryKey: ['sourceId'] };
        case 'chargebacks':
          return { name, description: '844 chargeback claim lines', primaryKey: ['claimNumber', 'contractIndex', 'lineNumber'] };
      }
    }),
  async check(config, { workspaceDir }) {
    const root = path.resolve(workspaceDir, config.folder);
    try {
      await mkdir(path.join(root, 'inbox'), { recursive: true });
      await access(path.join(root, 'inbox'));
      if (config.sftp) {
        const sftp = await checkSftp(config.sftp);
        return sftp.ok ? { ok: true, message: `inbox ${path.join(root, 'inbox')}, picking up from ${sftp.message}` } : sftp;
      }
      return { ok: true, message: `inbox ${path.join(root, 'inbox')}` };
    } catch (error) {
      return { ok: false, code: 'edi.folder', message: `Cannot use ${root} as the EDI folder (${(error as Error).message}): check the connector's folder and its permissions.` };
    }
  },
  async *read(config, context): AsyncIterable<Batch> {
    const stream = context.stream as EdiStream;
    if (!EDI_STREAMS.includes(stream)) throw new ConfigError('edi.unknown_stream', `distributor-edi has no stream "${context.stream}"; it has ${EDI_STREAMS.join(', ')}.`);
    const dirs = await prepareInbox(path.resolve(context.workspaceDir, config.folder));
    const checkpoint = readCheckpoint(context.checkpoint);
    // A picked-up file may leave the server once its content is safe in the store: read by every stream and
    // archived, or (files read in place) taken in by this stream's checkpoint.
    const isCommitted = async (hash: string): Promise<boolean> => (config.archive ? isMarked(dirs, hash, 'archived') : checkpoint.processed.includes(hash));
    if (config.sftp) await pickUpFromSftp(config.sftp, dirs, { isCommitted, logger: context.logger, signal: context.signal });
    const entries = await listInbox(dirs);
    let records: RawRecord[] = [];
    let rejected: Rejected[] = [];
    let yielded = false;

    const flush = (progress: number): Batch => {
      const batch: Batch = { records, rejected, checkpoint: { ...checkpoint, processed: [...checkpoint.processed] } as Checkpoint, progress };
      records = [];
      rejected = [];
      yielded = true;
      return batch;
    };

    for (const [fileIndex, entry] of entries.entries()) {
      if (context.signal.aborted) break;
      const progress = (fileIndex + 1) / entries.length;
      if ('refused' in entry) {
        const moved = await moveRefused(dirs, entry.path, entry.refused);
        if (moved) rejected.push({ reasonCode: 'edi.path_refused', reason: entry.refused, raw: { file: entry.name } });
        continue;
      }
      let hash: string;
      try {
        hash = await hashFile(entry.path);
      } catch {
        continue; // moved by another stream meanwhile
      }
      if (checkpoint.processed.includes(hash) || (config.archive && (await isMarked(dirs, hash, stream)))) {
        if (config.archive) await finalizeFile(dirs, config, entry.path, hash, stream, undefined);
        continue;
      }
      const survey = await surveyFile(entry.path, config);
      if (survey.interchanges.length === 0) {
        const reason = `${entry.name} is not a usable X12 file: ${survey.fileIssues.map((i) => i.message).join(' ') || 'no ISA interchange found.'}`;
        const moved = config.archive ? await moveInto(entry.path, dirs.error, hash).catch(() => undefined) : undefined;
        if (!config.archive) rejected.push({ reasonCode: 'edi.file_unusable', reason, raw: { file: entry.name, hash } });
        if (moved) {
          await writeErrorReport(moved, { file: entry.name, hash, code: 'edi.file_unusable', reason, issues: survey.fileIssues.slice(0, 100).map(formatIssue), at: new Date().toISOString() });
          rejected.push({ reasonCode: 'edi.file_unusable', reason, raw: { file: entry.name, hash } });
        }
        remember(checkpoint, hash, config.historySize);
        yield flush(progress);
        continue;
      }

      const skip = checkpoint.current?.hash === hash ? checkpoint.current.emitted : 0;
      let emitted = 0;
      checkpoint.current = { hash, emitted: skip };
      for await (const item of itemsOfFile(entry.path, entry.name, hash, stream, config, survey, checkpoint)) {
        emitted++;
        if (emitted <= skip) continue;
        if ('record' in item) records.push(item.record);
        else rejected.push(item.rejected);
        checkpoint.current = { hash, emitted };
        if (records.length + rejected.length >= context.batchSize) {
          yield flush(Math.min(progress, (fileIndex + 0.5) / entries.length));
          if (context.signal.aborted) return;
        }
      }
      delete checkpoint.current;
      remember(checkpoint, hash, config.historySize);
      yield flush(progress);
      // Runs once the engine stored the batch above (it asks for the next one only after committing).
      if (config.archive) {
        await mark(dirs, hash, stream);
        await finalizeFile(dirs, config, entry.path, hash, stream, survey);
      }
    }
    if (!yielded || records.length + rejected.length > 0) yield flush(1);
    // Runs after the engine stored the last batch: what this run took in may now leave the server.
    if (config.sftp && !context.signal.aborted) await settleSftpPickups(config.sftp, dirs, { isCommitted, logger: context.logger });
  },
});

export default distributorEdiConnector;

function readCheckpoint(raw: Checkpoint | undefined): EdiCheckpoint {
  const c = (raw ?? {}) as Partial<EdiCheckpoint>;
  const checkpoint: EdiCheckpoint = {
    processed: Array.isArray(c.processed) ? c.processed.filter((h): h is string => typeof h === 'string') : [],
    reports: c.reports && typeof c.reports === 'object' ? { ...c.reports } : {},
    claims: c.claims && typeof c.claims === 'object' ? { ...c.claims } : {},
  };
  if (c.current && typeof c.current.hash === 'string' && typeof c.current.emitted === 'number') checkpoint.current = { ...c.current };
  return checkpoint;
}

function remember(checkpoint: EdiCheckpoint, hash: string, historySize: number): void {
  if (!checkpoint.processed.includes(hash)) checkpoint.processed.push(hash);
  if (checkpoint.processed.length > historySize) checkpoint.processed.splice(0, checkpoint.processed.length - historySize);
}

function distributorOf(config: DistributorEdiConfig, interchange: InterchangeHeader): string {
  return config.distributorId ?? (interchange.senderId || 'unknown');
}

/** The survey pass: envelope results and, per set, its report header and how many records of each kind it holds. */
export async function surveyFile(file: string, config: Pick<DistributorEdiConfig, 'maxSegmentLength' | 'encoding'>): Promise<FileSurvey> {
  const survey: FileSurvey = { interchanges: [], fileIssues: [], sets: new Map() };
  const open = new Map<string, SetSurvey['records']>();
  const reports = new Map<string, SetSurvey['report']>();
  const claims = new Map<string, NonNullable<SetSurvey['claim']>>();
  let current: InterchangeHeader | undefined;
  for await (const items of readX12Transactions(readFileChunks(file), { maxSegmentLength: config.maxSegmentLength, encoding: config.encoding })) {
    for (const item of items) {
      switch (item.kind) {
        case 'issue':
          if (item.issue.scope === 'file') survey.fileIssues.push(item.issue);
          break;
        case 'interchange-start':
          current = item.interchange;
          break;
        case 'interchange-end':
          survey.interchanges.push(item.result);
          break;
        case 'report':
          reports.set(setKey(item.context.set), { number: item.report.number, purpose: item.report.purpose, lines: item.lines });
          break;
        case 'set-end': {
          const key = setKey(item.result.header);
          if (!current) break;
          const entry: SetSurvey = { result: item.result, interchange: current, records: open.get(key) ?? {} };
          const report = reports.get(key);
          if (report) entry.report = report;
          const claim = claims.get(key);
          if (claim) entry.claim = claim;
          survey.sets.set(key, entry);
          break;
        }
        case 'customer':
        case 'sales-line':
        case 'inventory':
        case 'chargeback-line': {
          const key = setKey(item.context.set);
          const counts = open.get(key) ?? {};
          counts[item.kind] = (counts[item.kind] ?? 0) + 1;
          open.set(key, counts);
          if (item.kind === 'chargeback-line') {
            const claim = claims.get(key) ?? { number: claimNumberOf(item), purpose: purposeOf(item.line.claim.purposeCode), cons: [] };
            claim.cons[item.line.contractIndex - 1] = Math.max(claim.cons[item.line.contractIndex - 1] ?? 0, item.line.lineNumber);
            claims.set(key, claim);
          }
          break;
        }
        default:
          break;
      }
    }
  }
  return survey;
}

function setReason(result: SetResult): string {
  const errors = result.issues.filter((i) => i.severity === 'error');
  return `Transaction set ${result.header.type} ${result.header.controlNumber} was rejected: ${errors.map(formatIssue).join('; ')}`;
}

/** The stream's pass over one file, in file order. Deterministic, so a resumed run can skip what was stored. */
async function* itemsOfFile(
  file: string,
  name: string,
  hash: string,
  stream: EdiStream,
  config: DistributorEdiConfig,
  survey: FileSurvey,
  checkpoint: EdiCheckpoint,
): AsyncGenerator<Item> {
  const kind = RECORD_KIND[stream];
  const seenCustomers = new Set<string>();
  const fileContext = (interchange: InterchangeHeader): FileContext => ({ file: name, hash, distributorId: distributorOf(config, interchange) });
  /** Sales and chargebacks: why the lines of the current 867 / 844 set are not taken (a late original). */
  let superseded: string | undefined;
  /** Inventory: the ZA activities of the current LIN loop, handed over together once the loop ends. */
  let item: Array<Extract<TransactionRecord, { kind: 'inventory' }>> = [];

  function* judge(built: { sourceId: string; payload: Payload }, set: SetSurvey | undefined): Generator<Item> {
    if (!set || set.result.status === 'rejected') {
      yield { rejected: { sourceId: built.sourceId, reasonCode: 'edi.set_rejected', reason: set ? setReason(set.result) : 'The transaction set could not be validated.', raw: built.payload } };
    } else if (superseded) {
      yield { rejected: { sourceId: built.sourceId, reasonCode: 'edi.report_superseded', reason: superseded, raw: built.payload } };
    } else {
      yield { record: { sourceId: built.sourceId, payload: built.payload } };
    }
  }
  function* flushItem(): Generator<Item> {
    const first = item[0];
    if (!first) return;
    const set = survey.sets.get(setKey(first.context.set));
    for (const built of inventoryRecords(item, fileContext(first.context.interchange))) yield* judge(built, set);
    item = [];
  }

  for await (const items of readX12Transactions(readFileChunks(file), { maxSegmentLength: config.maxSegmentLength, encoding: config.encoding })) {
    for (const next of items) {
      if (next.kind === 'set-start') {
        superseded = undefined;
        if (stream === 'sales' && next.set.type === '867') superseded = supersededBy(survey.sets.get(setKey(next.set)), config, checkpoint, hash, next.set);
        if (stream === 'chargebacks' && next.set.type === '844') superseded = claimSupersededBy(survey.sets.get(setKey(next.set)), config, checkpoint, hash, next.set);
        continue;
      }
      if (next.kind === 'set-end') {
        yield* flushItem();
        yield* afterSet(next.result, stream, config, survey, checkpoint, hash, name, superseded);
        continue;
      }
      if (next.kind !== kind) continue;
      const record = next as TransactionRecord;
      if (record.kind === 'inventory') {
        const open = item[0];
        if (open && (open.activity.itemNumber !== record.activity.itemNumber || setKey(open.context.set) !== setKey(record.context.set))) yield* flushItem();
        item.push(record);
        continue;
      }
      const set = survey.sets.get(setKey(record.context.set));
      const built = buildRecord(record, fileContext(record.context.interchange), config);
      if (stream === 'customers') {
        if (seenCustomers.has(built.sourceId)) continue;
        seenCustomers.add(built.sourceId);
      }
      if (record.kind === 'sales-line' && record.line.quantity === undefined && set && set.result.status !== 'rejected' && !superseded) {
        yield { rejected: { sourceId: built.sourceId, reasonCode: 'edi.line_invalid', reason: `Sales line ${record.line.lineNumber} of report ${record.line.report.number} has no numeric quantity (segment ${record.line.position.segment}).`, raw: built.payload } };
      } else if (record.kind === 'chargeback-line' && record.line.quantity === undefined && set && set.result.status !== 'rejected' && !superseded) {
        yield { rejected: { sourceId: built.sourceId, reasonCode: 'edi.line_invalid', reason: `Chargeback line ${record.line.lineNumber} of contract ${record.line.contractIndex} of claim ${claimNumberOf(record)} has no numeric quantity (segment ${record.line.position.segment}).`, raw: built.payload } };
      } else {
        yield* judge(built, set);
      }
    }
  }
  yield* flushItem();
}

function buildRecord(record: Exclude<TransactionRecord, { kind: 'inventory' }>, file: FileContext, config: DistributorEdiConfig): { sourceId: string; payload: Payload } {
  switch (record.kind) {
    case 'customer':
      return customerRecord(record, file);
    case 'sales-line':
      return salesRecord(record, file);
    case 'chargeback-line':
      return chargebackRecord(record, file, { wacAmountQualifier: config.wacAmountQualifier });
    case 'report':
      throw new Error('report records are not emitted');
  }
}

/**
 * An original (00) for a report whose replace (05) was already taken is late: its lines must not overwrite the
 * replacement. Any other arrival (a replace, or an original re-sent) supersedes what came before.
 */
function supersededBy(set: SetSurvey | undefined, config: DistributorEdiConfig, checkpoint: EdiCheckpoint, hash: string, header: SetHeader): string | undefined {
  if (!set?.report?.number || set.result.status === 'rejected') return undefined;
  const key = `${distributorOf(config, set.interchange)}:${set.report.number}`;
  const previous = checkpoint.reports[key];
  if (!previous || (previous.hash === hash && previous.set === setKey(header))) return undefined;
  if (set.report.purpose !== 'replace' && previous.purpose === 'replace') {
    return `Report ${set.report.number} was already replaced (BPT 05 in ${previous.file}): this original arrived late and is ignored.`;
  }
  return undefined;
}

/** The same rule for chargeback claims (BAA01 `05` replaces the claim with the same BAA05 number). */
function claimSupersededBy(set: SetSurvey | undefined, config: DistributorEdiConfig, checkpoint: EdiCheckpoint, hash: string, header: SetHeader): string | undefined {
  if (!set?.claim || set.result.status === 'rejected') return undefined;
  const previous = checkpoint.claims[`${distributorOf(config, set.interchange)}:${set.claim.number}`];
  if (!previous || (previous.hash === hash && previous.set === setKey(header))) return undefined;
  if (set.claim.purpose !== 'replace' && previous.purpose === 'replace') {
    return `Claim ${set.claim.number} was already replaced (BAA 05 in ${previous.file}): this original arrived late and is ignored.`;
  }
  return undefined;
}

async function* afterSet(result: SetResult, stream: EdiStream, config: DistributorEdiConfig, survey: FileSurvey, checkpoint: EdiCheckpoint, hash: string, name: string, superseded: string | undefined): AsyncGenerator<Item> {
  const set = survey.sets.get(setKey(result.header));
  if (!set) return;
  const owner = SET_OWNER[result.header.type] ?? config.streams[0];
  const ownKind = RECORD_KIND[owner as EdiStream];
  if (stream === owner && set.result.status === 'rejected' && !set.records[ownKind]) {
    // Nothing of it could be read as records: say so once, for the whole set.
    yield { rejected: { reasonCode: 'edi.set_rejected', reason: setReason(set.result), raw: { file: name, hash, set: set.result.header, issues: set.result.issues.map(formatIssue) } } };
  }
  if (set.result.status === 'rejected' || superseded) return;
  const distributor = distributorOf(config, set.interchange);
  const here = setKey(result.header);
  if (stream === 'sales' && result.header.type === '867' && set.report?.number) {
    const key = `${distributor}:${set.report.number}`;
    const previous = checkpoint.reports[key];
    if (previous && !(previous.hash === hash && previous.set === here)) {
      // The new version replaces the old one line for line; lines the old one had beyond the new count are deleted.
      for (let line = set.report.lines + 1; line <= previous.lines; line++) {
        const sourceId = salesKey(distributor, set.report.number, line);
        yield { record: { sourceId, deleted: true, payload: { sourceId, reportNumber: set.report.number, lineNumber: line, supersededBy: name } } };
      }
    }
    checkpoint.reports[key] = { lines: set.report.lines, purpose: set.report.purpose, hash, set: here, file: name };
  }
  if (stream === 'chargebacks' && result.header.type === '844' && set.claim) {
    const key = `${distributor}:${set.claim.number}`;
    const previous = checkpoint.claims[key];
    const cons = Array.from(set.claim.cons, (n) => n ?? 0);
    if (previous && !(previous.hash === hash && previous.set === here)) {
      // Same rule per CON loop: lines (and whole contracts) the earlier claim had beyond the new counts are deleted.
      for (const [index, lines] of previous.cons.entries()) {
        for (let line = (cons[index] ?? 0) + 1; line <= lines; line++) {
          const sourceId = chargebackKey(distributor, set.claim.number, index + 1, line);
          yield { record: { sourceId, deleted: true, payload: { sourceId, claimNumber: set.claim.number, contractIndex: index + 1, lineNumber: line, supersededBy: name } } };
        }
      }
    }
    checkpoint.claims[key] = { cons, purpose: set.claim.purpose, hash, set: here, file: name };
  }
}

async function moveRefused(dirs: InboxDirs, file: string, reason: string): Promise<string | undefined> {
  if (!isInside(dirs.inbox, file)) return undefined;
  const moved = await moveInto(file, dirs.error, 'refused0').catch(() => undefined);
  if (moved) await writeErrorReport(moved, { file: path.basename(file), code: 'edi.path_refused', reason, at: new Date().toISOString() });
  return moved;
}

const markerOf = (dirs: InboxDirs, hash: string, name: string): string => path.join(dirs.state, hash, name);

async function isMarked(dirs: InboxDirs, hash: string, name: string): Promise<boolean> {
  try {
    await access(markerOf(dirs, hash, name));
    return true;
  } catch {
    return false;
  }
}

/** One marker file per stream, so streams synced in parallel never overwrite each other's progress. */
async function mark(dirs: InboxDirs, hash: string, name: string): Promise<void> {
  await mkdir(path.join(dirs.state, hash), { recursive: true });
  await writeFile(markerOf(dirs, hash, name), new Date().toISOString());
}

/**
 * When every configured stream has read the file: move it to archive/ and write the acknowledgements. The move is
 * a rename, so when two streams finish together exactly one of them archives and acknowledges.
 */
async function finalizeFile(dirs: InboxDirs, config: DistributorEdiConfig, file: string, hash: string, stream: EdiStream, survey: FileSurvey | undefined): Promise<void> {
  for (const s of config.streams) if (s !== stream && !(await isMarked(dirs, hash, s))) return;
  if (!(await isMarked(dirs, hash, stream))) await mark(dirs, hash, stream);
  const alreadyArchived = await isMarked(dirs, hash, 'archived');
  const results = alreadyArchived || !config.acknowledgements ? undefined : (survey ?? (await surveyFile(file, config).catch(() => undefined)));
  const moved = await moveInto(file, dirs.archive, hash).catch(() => undefined);
  if (!moved) return;
  if (alreadyArchived) return; // the same content again: archived, not acknowledged twice
  await mark(dirs, hash, 'archived');
  if (!results) return;
  const base = path.basename(moved);
  for (const ack of buildAcknowledgements(results.interchanges)) {
    await writeFile(path.join(dirs.outbox, `${base}.${ack.interchangeControlNumber}.${ack.types.includes('999') ? '999' : '997'}.x12`), ack.text);
  }
}
