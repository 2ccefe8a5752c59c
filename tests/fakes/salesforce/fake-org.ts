import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createVerify, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { computeSalesforceIdSuffix } from '../../../src/model/identifiers/salesforce-id.js';
import { evaluate, parseSoql, SoqlError, type SoqlQuery, type Value } from './soql.js';

/**
 * A local Salesforce org over real HTTP on 127.0.0.1, speaking the wire formats the connector meets in production:
 * the OAuth token endpoint (JWT bearer, refresh token, password grants), REST query / queryMore / queryAll with
 * `nextRecordsUrl`, COUNT(), describe, /limits, the `Sforce-Limit-Info` header, Bulk API 2.0 query jobs with CSV
 * result pages and `Sforce-Locator`, `/sobjects/X/deleted`, sObject Collections upsert, and Salesforce's own error
 * bodies. Faults are injected on demand (expired sessions, spent budget, 5xx bursts, locked rows).
 */

export type FieldType = 'id' | 'string' | 'boolean' | 'datetime' | 'date' | 'reference' | 'double' | 'int' | 'email' | 'phone' | 'picklist' | 'textarea' | 'address';
export type FieldDef = { name: string; type: FieldType; referenceTo?: string; relationshipName?: string };
export type Row = Record<string, unknown> & { Id: string; SystemModstamp: number; IsDeleted: boolean };

type SObjectStore = { name: string; prefix: string; fields: FieldDef[]; rows: Map<string, Row> };
type Fault = { match: (method: string, path: string) => boolean; status: number; body: unknown; times: number; headers?: Record<string, string> };
type Cursor = { records: Array<Record<string, unknown>>; offset: number; pageSize: number };
type BulkJob = { id: string; object: string; query: SoqlQuery; state: string; polls: number; rows: Row[]; failWith?: string };

export type FakeOrgOptions = {
  /** PEM public key that JWT assertions must verify against. */
  jwtPublicKey?: string;
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  refreshTokens?: string[];
  /** Daily API requests: the limit and how many are already used. */
  apiLimit?: number;
  apiUsed?: number;
  /** Polls a bulk job answers InProgress before JobComplete. */
  bulkPollsUntilComplete?: number;
};

const API_PATH = /^\/services\/data\/v(\d+\.\d)(\/.*)$/;

export class FakeSalesforceOrg {
  readonly objects = new Map<string, SObjectStore>();
  private server: Server | undefined;
  baseUrl = '';
  private readonly tokens = new Set<string>();
  readonly refreshTokens: Set<string>;
  private readonly cursors = new Map<string, Cursor>();
  private readonly jobs = new Map<string, BulkJob>();
  private readonly faults: Fault[] = [];
  private sequence = 0;
  /** Every request, in order: `GET /services/data/v61.0/query`. */
  readonly log: string[] = [];
  apiLimit: number;
  apiUsed: number;
  bulkPollsUntilComplete: number;
  /** Records that answer UNABLE_TO_LOCK_ROW to their next upsert. */
  readonly lockedOnce = new Set<string>();
  /** When set, the REST API answers 401 "not valid for use with the REST API". */
  restDisabled = false;
  /** Starts a day in the past, whole seconds, so seeded and edited records are never in the future. */
  private clock = Math.floor((Date.now() - 86_400_000) / 1000) * 1000;

  constructor(private readonly options: FakeOrgOptions = {}) {
    this.refreshTokens = new Set(options.refreshTokens ?? []);
    this.apiLimit = options.apiLimit ?? 1_000_000;
    this.apiUsed = options.apiUsed ?? 0;
    this.bulkPollsUntilComplete = options.bulkPollsUntilComplete ?? 1;
    this.defineObject('Account', '001', ACCOUNT_FIELDS);
    this.defineObject('Address_vod__c', 'a0B', ADDRESS_FIELDS);
    this.defineObject('Child_Account_vod__c', 'a0C', CHILD_ACCOUNT_FIELDS);
    this.defineObject('Contact', '003', CONTACT_FIELDS);
  }

  // ---- lifecycle ---------------------------------------------------------------------------------------------

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        send(res, 500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: String((error as Error)?.stack ?? error) }]);
      });
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  // ---- data --------------------------------------------------------------------------------------------------

  defineObject(name: string, prefix: string, fields: FieldDef[]): void {
    this.objects.set(name, { name, prefix, fields: [...fields], rows: new Map() });
  }

  private store(name: string): SObjectStore {
    const s = this.objects.get(name);
    if (!s) throw new SoqlError('INVALID_TYPE', `sObject type '${name}' is not supported.`);
    return s;
  }

  newId(object: string): string {
    const prefix = this.store(object).prefix;
    let n = ++this.sequence;
    let tail = '';
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    for (let i = 0; i < 9; i++) {
      tail = alphabet[n % 62] + tail;
      n = Math.floor(n / 62);
    }
    const id15 = `${prefix}4x0${tail}`;
    return id15 + computeSalesforceIdSuffix(id15);
  }

  /** The org's clock: seconds, as Salesforce stores SystemModstamp. Advances by `seconds` (default 1). */
  tick(seconds = 1): number {
    this.clock += seconds * 1000;
    return this.clock;
  }

  now(): number {
    return this.clock;
  }

  insert(object: string, fields: Record<string, unknown>, stamp = this.clock): Row {
    const row: Row = { ...fields, Id: (fields.Id as string | undefined) ?? this.newId(object), SystemModstamp: stamp, IsDeleted: false };
    if (row.LastModifiedDate === undefined) row.LastModifiedDate = stamp;
    this.store(object).rows.set(row.Id, row);
    return row;
  }

  update(object: string, id: string, changes: Record<string, unknown>): Row {
    const row = this.store(object).rows.get(id);
    if (!row) throw new Error(`no ${object} ${id}`);
    Object.assign(row, changes, { SystemModstamp: this.tick(), LastModifiedDate: this.clock });
    return row;
  }

  /** Moves a record to the recycle bin: IsDeleted, SystemModstamp bumped, listed by getDeleted. */
  remove(object: string, id: string): void {
    const row = this.store(object).rows.get(id);
    if (!row) throw new Error(`no ${object} ${id}`);
    row.IsDeleted = true;
    row.SystemModstamp = this.tick();
    row.deletedAt = this.clock;
  }

  rows(object: string): Row[] {
    return [...this.store(object).rows.values()];
  }

  // ---- faults ------------------------------------------------------------------------------------------------

  /** The next `times` requests whose method and path match answer `status` with `body`. */
  inject(fault: { path: RegExp; method?: string; status: number; body?: unknown; times?: number; headers?: Record<string, string> }): void {
    this.faults.push({
      match: (method, path) => fault.path.test(path) && (!fault.method || fault.method === method),
      status: fault.status,
      body: fault.body ?? (fault.status >= 500 ? [{ errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable' }] : [{ errorCode: 'UNKNOWN', message: 'injected' }]),
      times: fault.times ?? 1,
      ...(fault.headers ? { headers: fault.headers } : {}),
    });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Every access token issued so far stops working (Salesforce's session timeout or a revoked session). */
  expireSessions(): void {
    this.tokens.clear();
  }

  /** Makes a running bulk job fail. */
  failJob(jobId: string, message = 'InternalServerError : Retry later'): void {
    const job = this.jobs.get(jobId);
    if (job) job.failWith = message;
  }

  countRequests(pattern: RegExp): number {
    return this.log.filter((l) => pattern.test(l)).length;
  }

  // ---- HTTP --------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const method = req.method ?? 'GET';
    this.log.push(`${method} ${url.pathname}`);
    const body = await readBody(req);

    const fault = this.faults.find((f) => f.times > 0 && f.match(method, url.pathname));
    if (fault) {
      fault.times -= 1;
      if (fault.times === 0) this.faults.splice(this.faults.indexOf(fault), 1);
      return send(res, fault.status, fault.body, { ...this.limitHeader(), ...fault.headers });
    }

    if (url.pathname === '/services/oauth2/token' && method === 'POST') return this.token(res, new URLSearchParams(body));

    const api = API_PATH.exec(url.pathname);
    if (!api) return send(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!this.tokens.has(token)) return send(res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    if (this.restDisabled) return send(res, 401, [{ message: 'This session is not valid for use with the REST API', errorCode: 'INVALID_SESSION_ID' }]);
    if (this.apiUsed >= this.apiLimit) {
      return send(res, 403, [{ message: `TotalRequests Limit exceeded.`, errorCode: 'REQUEST_LIMIT_EXCEEDED' }], this.limitHeader());
    }
    this.apiUsed += 1;
    const version = api[1]!;
    const path = api[2]!;
    try {
      await this.route(method, path, url, body, req, res, version);
    } catch (error) {
      if (error instanceof SoqlError) return send(res, 400, [{ message: error.message, errorCode: error.errorCode }], this.limitHeader());
      throw error;
    }
  }

  private limitHeader(): Record<string, string> {
    return { 'Sforce-Limit-Info': `api-usage=${this.apiUsed}/${this.apiLimit}` };
  }

  private token(res: ServerResponse, form: URLSearchParams): void {
    const grant = form.get('grant_type');
    const deny = (description: string) => send(res, 400, { error: 'invalid_grant', error_description: description });
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const [header, claims, signature] = (form.get('assertion') ?? '').split('.');
      if (!header || !claims || !signature || !this.options.jwtPublicKey) return deny('invalid assertion');
      const verifier = createVerify('RSA-SHA256');
      verifier.update(`${header}.${claims}`);
      if (!verifier.verify(this.options.jwtPublicKey, Buffer.from(signature, 'base64url'))) return deny('invalid assertion');
      const c = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as { iss: string; sub: string; aud: string; exp: number };
      if (c.iss !== this.options.clientId) return send(res, 400, { error: 'invalid_client_id', error_description: 'client identifier invalid' });
      if (c.sub !== this.options.username) return deny('user hasn\'t approved this consumer');
      if (c.exp * 1000 < Date.now()) return deny('expired authorization code');
      return this.issue(res);
    }
    if (grant === 'refresh_token') {
      if (form.get('client_id') !== this.options.clientId) return send(res, 400, { error: 'invalid_client_id', error_description: 'client identifier invalid' });
      if (!this.refreshTokens.has(form.get('refresh_token') ?? '')) return deny('expired access/refresh token');
      return this.issue(res);
    }
    if (grant === 'password') {
      if (form.get('client_id') !== this.options.clientId || form.get('client_secret') !== this.options.clientSecret) return send(res, 400, { error: 'invalid_client_id', error_description: 'client identifier invalid' });
      if (form.get('username') !== this.options.username || form.get('password') !== this.options.password) return deny('authentication failure');
      return this.issue(res);
    }
    return send(res, 400, { error: 'unsupported_grant_type', error_description: 'grant type not supported' });
  }

  private issue(res: ServerResponse): void {
    const accessToken = `00D4x000000FAKE!${randomBytes(24).toString('base64url')}`;
    this.tokens.add(accessToken);
    send(res, 200, {
      access_token: accessToken,
      instance_url: this.baseUrl,
      id: `${this.baseUrl}/id/00D4x000000FAKEEAA/0054x000000FAKEAAA`,
      token_type: 'Bearer',
      issued_at: String(Date.now()),
      signature: randomBytes(16).toString('base64'),
    });
  }

  private async route(method: string, path: string, url: URL, body: string, req: IncomingMessage, res: ServerResponse, version: string): Promise<void> {
    const headers = this.limitHeader();
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/limits') {
      return send(res, 200, { DailyApiRequests: { Max: this.apiLimit, Remaining: this.apiLimit - this.apiUsed }, DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 } }, headers);
    }
    if (method === 'GET' && (m = /^\/sobjects\/(\w+)\/describe\/?$/.exec(path))) {
      const s = this.store(m[1]!);
      return send(res, 200, { name: s.name, queryable: true, fields: s.fields.map((f) => ({ name: f.name, type: f.type, label: f.name, referenceTo: f.referenceTo ? [f.referenceTo] : [], relationshipName: f.relationshipName ?? null })) }, headers);
    }
    if (method === 'GET' && (path === '/query' || path === '/query/' || path === '/queryAll' || path === '/queryAll/')) {
      const all = path.startsWith('/queryAll');
      const q = parseSoql(url.searchParams.get('q') ?? '');
      const rows = this.select(q, all);
      if (q.count) return send(res, 200, { totalSize: rows.length, done: true, records: [] }, headers);
      const batch = /batchSize=(\d+)/.exec(String(req.headers['sforce-query-options'] ?? ''));
      const pageSize = Math.max(200, Math.min(2000, Number(batch?.[1] ?? 2000)));
      const records = rows.map((r) => this.restRecord(q.object, q.fields, r, version));
      return this.page(res, { records, offset: 0, pageSize }, `01g4x0000${randomBytes(4).toString('hex')}`, version, all, headers);
    }
    if (method === 'GET' && (m = /^\/(query|queryAll)\/(01g[\w]+)-(\d+)$/.exec(path))) {
      const cursor = this.cursors.get(m[2]!);
      if (!cursor) return send(res, 400, [{ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }], headers);
      return this.page(res, { ...cursor, offset: Number(m[3]) }, m[2]!, version, m[1] === 'queryAll', headers);
    }
    if (method === 'GET' && (m = /^\/sobjects\/(\w+)\/deleted\/?$/.exec(path))) {
      const start = new Date(url.searchParams.get('start') ?? '').getTime();
      const end = new Date(url.searchParams.get('end') ?? '').getTime();
      const deleted = this.rows(m[1]!).filter((r) => r.IsDeleted && (r.deletedAt as number) >= start && (r.deletedAt as number) <= end);
      return send(res, 200, { deletedRecords: deleted.map((r) => ({ id: r.Id, deletedDate: sfDate(r.deletedAt as number) })), earliestDateAvailable: sfDate(this.clock - 30 * 86400_000), latestDateCovered: sfDate(end) }, headers);
    }
    if (method === 'POST' && path === '/jobs/query') {
      const input = JSON.parse(body) as { operation: string; query: string };
      const q = parseSoql(input.query);
      const id = `7504x0000${randomBytes(5).toString('hex').toUpperCase()}`.slice(0, 15);
      const job: BulkJob = { id, object: q.object, query: q, state: 'UploadComplete', polls: 0, rows: this.select(q, input.operation === 'queryAll') };
      this.jobs.set(id, job);
      return send(res, 200, this.jobInfo(job, version), headers);
    }
    if ((m = /^\/jobs\/query\/(\w+)$/.exec(path))) {
      const job = this.jobs.get(m[1]!);
      if (!job) return send(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], headers);
      if (method === 'GET') {
        job.polls += 1;
        if (job.failWith) job.state = 'Failed';
        else if (job.state !== 'JobComplete' && job.state !== 'Aborted') job.state = job.polls > this.bulkPollsUntilComplete ? 'JobComplete' : 'InProgress';
        return send(res, 200, this.jobInfo(job, version), headers);
      }
      if (method === 'DELETE') {
        this.jobs.delete(job.id);
        return send(res, 204, undefined, headers);
      }
    }
    if (method === 'GET' && (m = /^\/jobs\/query\/(\w+)\/results$/.exec(path))) {
      const job = this.jobs.get(m[1]!);
      if (!job) return send(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], headers);
      if (job.state !== 'JobComplete') return send(res, 400, [{ errorCode: 'INVALIDJOBSTATE', message: `Job state ${job.state}` }], headers);
      const maxRecords = Number(url.searchParams.get('maxRecords') ?? 50_000);
      const locator = url.searchParams.get('locator');
      const offset = locator ? Number(Buffer.from(locator, 'base64').toString('utf8')) : 0;
      const slice = job.rows.slice(offset, offset + maxRecords);
      const next = offset + slice.length < job.rows.length ? Buffer.from(String(offset + slice.length)).toString('base64').replace(/=+$/, '') : 'null';
      const csv = this.csv(job.object, job.query.fields, slice);
      res.writeHead(200, { 'Content-Type': 'text/csv', 'Sforce-Locator': next, 'Sforce-NumberOfRecords': String(slice.length), ...headers });
      res.end(csv);
      return;
    }
    if (method === 'PATCH' && (m = /^\/composite\/sobjects\/(\w+)\/(\w+)$/.exec(path))) {
      const object = m[1]!;
      const keyField = m[2]!;
      const input = JSON.parse(body) as { allOrNone: boolean; records: Array<Record<string, unknown>> };
      if (input.records.length > 200) return send(res, 400, [{ errorCode: 'EXCEEDED_ID_LIMIT', message: 'record limit reached. cannot submit more than 200 records into this call' }], headers);
      const s = this.store(object);
      const results = input.records.map((record) => {
        const key = String(record[keyField] ?? '');
        const row = keyField === 'Id' ? s.rows.get(key) : [...s.rows.values()].find((r) => r[keyField] === key);
        if (this.lockedOnce.delete(key)) return { id: row?.Id, success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record or 1 records', fields: [] }] };
        if (!row || row.IsDeleted) return { success: false, errors: [{ statusCode: 'NOT_FOUND', message: `Provided external ID field does not exist or is not accessible: ${key}`, fields: [] }] };
        const unknown = Object.keys(record).find((k) => k !== 'attributes' && !s.fields.some((f) => f.name === k));
        if (unknown) return { id: row.Id, success: false, errors: [{ statusCode: 'INVALID_FIELD', message: `No such column '${unknown}' on sobject of type ${object}`, fields: [unknown] }] };
        const { attributes: _attributes, ...changes } = record;
        this.update(object, row.Id, changes);
        return { id: row.Id, success: true, errors: [], created: false };
      });
      return send(res, 200, results, headers);
    }
    return send(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], headers);
  }

  private page(res: ServerResponse, cursor: Cursor, id: string, version: string, all: boolean, headers: Record<string, string>): void {
    const records = cursor.records.slice(cursor.offset, cursor.offset + cursor.pageSize);
    const end = cursor.offset + records.length;
    const done = end >= cursor.records.length;
    if (!done) this.cursors.set(id, { records: cursor.records, offset: 0, pageSize: cursor.pageSize });
    else this.cursors.delete(id);
    send(res, 200, { totalSize: cursor.records.length, done, ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/${all ? 'queryAll' : 'query'}/${id}-${end}` }), records }, headers);
  }

  private jobInfo(job: BulkJob, version: string): Record<string, unknown> {
    return {
      id: job.id,
      operation: 'query',
      object: job.object,
      createdById: '0054x000000FAKEAAA',
      createdDate: sfDate(this.clock),
      systemModstamp: sfDate(this.clock),
      state: job.state,
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(version),
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
      ...(job.state === 'JobComplete' ? { numberRecordsProcessed: job.rows.length, retries: 0, totalProcessingTime: 10 } : {}),
      ...(job.state === 'Failed' ? { errorMessage: job.failWith } : {}),
    };
  }

  // ---- query evaluation --------------------------------------------------------------------------------------

  private fieldDef(object: string, name: string): FieldDef | undefined {
    return this.store(object).fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
  }

  /** A field's value for comparison and output; `R__r.F` follows the lookup. Datetimes as ms. */
  private read(object: string, row: Record<string, unknown>, field: string): Value {
    const dot = field.indexOf('.');
    if (dot > 0) {
      const rel = field.slice(0, dot);
      const def = this.store(object).fields.find((f) => f.relationshipName === rel);
      if (!def?.referenceTo) throw new SoqlError('INVALID_FIELD', `Didn't understand relationship '${rel}' in field path. No such column '${field}' on entity '${object}'.`);
      const parent = this.store(def.referenceTo).rows.get(String(row[def.name] ?? ''));
      return parent ? this.read(def.referenceTo, parent, field.slice(dot + 1)) : null;
    }
    const def = this.fieldDef(object, field);
    if (!def) throw new SoqlError('INVALID_FIELD', `No such column '${field}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`);
    const value = row[def.name];
    return value === undefined ? null : (value as Value);
  }

  private select(q: SoqlQuery, includeDeleted: boolean): Row[] {
    const s = this.store(q.object);
    // An unknown field or relationship fails the whole query, as in a real org.
    for (const f of q.fields) this.read(q.object, { Id: '' }, f);
    let rows = [...s.rows.values()].filter((r) => (includeDeleted || !r.IsDeleted) && (!q.where || evaluate(q.where, r, (row, field) => this.read(q.object, row, field))));
    if (q.orderBy.length > 0) {
      const keys = q.orderBy;
      rows = rows.sort((a, b) => {
        for (const k of keys) {
          const x = this.read(q.object, a, k);
          const y = this.read(q.object, b, k);
          if (x === y) continue;
          if (x === null) return -1;
          if (y === null) return 1;
          return x < y ? -1 : 1;
        }
        return 0;
      });
    }
    return q.limit !== undefined ? rows.slice(0, q.limit) : rows;
  }

  private restRecord(object: string, fields: string[], row: Row, version: string): Record<string, unknown> {
    const out: Record<string, unknown> = { attributes: { type: object, url: `/services/data/v${version}/sobjects/${object}/${row.Id}` } };
    for (const f of fields) {
      const dot = f.indexOf('.');
      if (dot > 0) {
        const rel = f.slice(0, dot);
        const def = this.store(object).fields.find((d) => d.relationshipName === rel)!;
        const parent = this.store(def.referenceTo!).rows.get(String(row[def.name] ?? ''));
        if (!parent) {
          out[rel] = null;
          continue;
        }
        const nested = (out[rel] as Record<string, unknown> | undefined) ?? { attributes: { type: def.referenceTo, url: `/services/data/v${version}/sobjects/${def.referenceTo}/${parent.Id}` } };
        nested[f.slice(dot + 1)] = this.restValue(def.referenceTo!, f.slice(dot + 1), parent);
        out[rel] = nested;
        continue;
      }
      out[this.fieldDef(object, f)!.name] = this.restValue(object, f, row);
    }
    return out;
  }

  private restValue(object: string, field: string, row: Record<string, unknown>): unknown {
    const def = this.fieldDef(object, field)!;
    const value = row[def.name];
    if (value === undefined || value === null) return null;
    if (def.type === 'datetime') return sfDate(value as number);
    return value;
  }

  private csv(object: string, fields: string[], rows: Row[]): string {
    const cell = (value: unknown): string => {
      if (value === null || value === undefined) return '';
      const text = String(value);
      return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    const lines = [fields.map(cell).join(',')];
    for (const row of rows) {
      lines.push(
        fields
          .map((f) => {
            const value = this.read(object, row, f);
            const type = f.includes('.') ? undefined : this.fieldDef(object, f)?.type;
            return cell(type === 'datetime' && typeof value === 'number' ? new Date(value).toISOString() : value);
          })
          .join(','),
      );
    }
    return `${lines.join('\n')}\n`;
  }
}

/** Salesforce's REST datetime form: `2024-01-01T00:00:00.000+0000`. */
export function sfDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const STANDARD: FieldDef[] = [
  { name: 'Id', type: 'id' },
  { name: 'IsDeleted', type: 'boolean' },
  { name: 'Name', type: 'string' },
  { name: 'LastModifiedDate', type: 'datetime' },
  { name: 'SystemModstamp', type: 'datetime' },
];

export const ACCOUNT_FIELDS: FieldDef[] = [
  ...STANDARD,
  { name: 'IsPersonAccount', type: 'boolean' },
  { name: 'PersonContactId', type: 'reference', referenceTo: 'Contact' },
  { name: 'RecordTypeId', type: 'reference' },
  { name: 'ParentId', type: 'reference', referenceTo: 'Account', relationshipName: 'Parent' },
  { name: 'Salutation', type: 'picklist' },
  { name: 'FirstName', type: 'string' },
  { name: 'LastName', type: 'string' },
  { name: 'PersonEmail', type: 'email' },
  { name: 'Phone', type: 'phone' },
  { name: 'PersonDoNotCall', type: 'boolean' },
  { name: 'PersonHasOptedOutOfEmail', type: 'boolean' },
  { name: 'BillingAddress', type: 'address' },
  { name: 'NPI_vod__c', type: 'string' },
  { name: 'ME__c', type: 'string' },
  { name: 'Credentials_vod__c', type: 'picklist' },
  { name: 'Specialty_1_vod__c', type: 'picklist' },
  { name: 'Specialty_2_vod__c', type: 'picklist' },
  { name: 'External_ID_vod__c', type: 'string' },
  { name: 'PDRP_Opt_Out_vod__c', type: 'boolean' },
  { name: 'PDRP_Opt_Out_Date_vod__c', type: 'date' },
  { name: 'Primary_Parent_vod__c', type: 'reference', referenceTo: 'Account', relationshipName: 'Primary_Parent_vod__r' },
  { name: 'Formatted_Name_vod__c', type: 'string' },
  { name: 'Middle_vod__c', type: 'string' },
  { name: 'Suffix_vod__c', type: 'string' },
  { name: 'Gender_vod__c', type: 'picklist' },
  { name: 'Do_Not_Call_vod__c', type: 'picklist' },
  { name: 'Preferred_Name_vod__c', type: 'string' },
  { name: 'NET_External_Id__c', type: 'string' },
  { name: 'Crosswalk_Master_Id__c', type: 'string' },
  { name: 'Crosswalk_Merged_Into__c', type: 'string' },
];

export const ADDRESS_FIELDS: FieldDef[] = [
  ...STANDARD,
  { name: 'Account_vod__c', type: 'reference', referenceTo: 'Account', relationshipName: 'Account_vod__r' },
  { name: 'Address_line_2_vod__c', type: 'string' },
  { name: 'City_vod__c', type: 'string' },
  { name: 'State_vod__c', type: 'picklist' },
  { name: 'Zip_vod__c', type: 'string' },
  { name: 'Zip_4_vod__c', type: 'string' },
  { name: 'Primary_vod__c', type: 'boolean' },
  { name: 'Phone_vod__c', type: 'phone' },
  { name: 'Fax_vod__c', type: 'phone' },
  { name: 'License_vod__c', type: 'string' },
  { name: 'License_Expiration_Date_vod__c', type: 'date' },
  { name: 'License_Status_vod__c', type: 'picklist' },
  { name: 'DEA_vod__c', type: 'string' },
  { name: 'DEA_Status_vod__c', type: 'picklist' },
  { name: 'DEA_Expiration_Date_vod__c', type: 'date' },
  { name: 'DEA_Schedule_vod__c', type: 'string' },
];

export const CHILD_ACCOUNT_FIELDS: FieldDef[] = [
  ...STANDARD,
  { name: 'Parent_Account_vod__c', type: 'reference', referenceTo: 'Account', relationshipName: 'Parent_Account_vod__r' },
  { name: 'Child_Account_vod__c', type: 'reference', referenceTo: 'Account', relationshipName: 'Child_Account_vod__r' },
];

export const CONTACT_FIELDS: FieldDef[] = [
  ...STANDARD,
  { name: 'AccountId', type: 'reference', referenceTo: 'Account', relationshipName: 'Account' },
  { name: 'FirstName', type: 'string' },
  { name: 'LastName', type: 'string' },
  { name: 'Email', type: 'email' },
  { name: 'Phone', type: 'phone' },
  { name: 'Title', type: 'string' },
];
