import axios, { type AxiosInstance } from 'axios';
import { ConfigError, TransientError, type Batch, type ReadContext } from '../../src/sdk/index.js';
import type { ErpConfig } from './config.js';

type RestConfig = Extract<ErpConfig, { format: 'rest' }>;
/** Where a pull got to: the next page's URL (a server link) or the `$skip` to ask for. */
type RestCheckpoint = { mode: 'rest'; next?: string; skip: number; complete: boolean };

/**
 * An OData pull (S/4HANA `API_BUSINESS_PARTNER` `A_Customer`, or any OData v2/v4 entity set): pages of `$top`
 * records, following the server's `__next` (v2) or `@odata.nextLink` (v4) when it gives one and `$skip` otherwise.
 * The checkpoint after every page is the next page, so a retried run resumes there. Links must stay on the
 * configured server: a next link elsewhere is refused rather than followed with the credentials.
 */
export async function* readOData(config: RestConfig, context: ReadContext): AsyncIterable<Batch> {
  const client = createClient(config);
  const base = new URL(config.baseUrl);
  const previous = context.checkpoint as Partial<RestCheckpoint> | undefined;
  let state: RestCheckpoint = previous?.mode === 'rest' && !previous.complete ? { mode: 'rest', skip: previous.skip ?? 0, complete: false, ...(previous.next ? { next: previous.next } : {}) } : { mode: 'rest', skip: 0, complete: false };
  for (let page = 0; page < config.maxPages; page++) {
    if (context.signal.aborted) return;
    const url = state.next ?? firstPageUrl(config, state.skip);
    const target = new URL(url, base);
    if (target.origin !== base.origin) throw new ConfigError('erp.next_link_foreign', `The server's next-page link points to ${target.origin}, not ${base.origin}: refused (credentials are only sent to baseUrl).`);
    const body = await fetchPage(client, target.toString(), context.signal);
    const { records, next } = readPage(body);
    const payloads = records.map((r) => ({ payload: { ...stripMetadata(r), system: config.system } }));
    const done = next === undefined && records.length < config.pageSize;
    state = next !== undefined ? { mode: 'rest', next, skip: state.skip + records.length, complete: false } : { mode: 'rest', skip: state.skip + records.length, complete: done };
    yield { records: payloads, checkpoint: { ...state }, rejected: [] };
    if (done || records.length === 0) {
      if (!done) yield { records: [], checkpoint: { mode: 'rest', skip: state.skip, complete: true } };
      return;
    }
  }
  throw new ConfigError('erp.too_many_pages', `Stopped after ${config.maxPages} pages: raise maxPages if the customer master really is that large.`);
}

function firstPageUrl(config: RestConfig, skip: number): string {
  const url = new URL(config.entitySet, config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`);
  url.searchParams.set('$top', String(config.pageSize));
  url.searchParams.set('$skip', String(skip));
  if (config.odataVersion === 2) url.searchParams.set('$format', 'json');
  if (config.filter) url.searchParams.set('$filter', config.filter);
  if (config.select) url.searchParams.set('$select', config.select.join(','));
  url.searchParams.set('$orderby', config.orderBy);
  return url.toString();
}

function createClient(config: RestConfig): AxiosInstance {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const auth = config.auth;
  if (auth) {
    const secret = (value: string | undefined, env: string | undefined, what: string): string => {
      const v = value ?? (env ? process.env[env] : undefined);
      if (!v) throw new ConfigError('erp.auth_missing', `${what} is not set${env ? ` (environment variable ${env} is empty)` : ''}: check the connector's auth settings.`);
      return v;
    };
    if (auth.type === 'basic') headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${secret(auth.password, auth.passwordEnv, 'the password')}`).toString('base64')}`;
    else if (auth.type === 'bearer') headers.Authorization = `Bearer ${secret(auth.token, auth.tokenEnv, 'the bearer token')}`;
    else headers[auth.name] = secret(auth.value, auth.valueEnv, `header ${auth.name}`);
  }
  if (config.client) headers['sap-client'] = config.client;
  return axios.create({ headers, timeout: config.timeoutMs, maxRedirects: 0, validateStatus: () => true });
}

async function fetchPage(client: AxiosInstance, url: string, signal: AbortSignal): Promise<unknown> {
  let response;
  try {
    response = await client.get(url, { signal });
  } catch (error) {
    throw new TransientError('erp.unreachable', `The ERP did not answer (${(error as Error).message}): retrying later.`, { cause: error });
  }
  const status = response.status;
  if (status === 401 || status === 403) throw new ConfigError('erp.unauthorized', `The ERP refused the credentials (HTTP ${status}): check the connector's auth settings and the user's authorisations for the entity set.`);
  if (status === 404) throw new ConfigError('erp.not_found', `HTTP 404 for ${new URL(url).pathname}: check baseUrl and entitySet.`);
  if (status === 429 || status >= 500) throw new TransientError('erp.busy', `The ERP answered HTTP ${status}: retrying later.`);
  if (status >= 300) throw new ConfigError('erp.http', `The ERP answered HTTP ${status} for ${new URL(url).pathname}.`);
  return response.data;
}

/** OData v2 `{ d: { results, __next } }` (or `{ d: [...] }`), v4 `{ value, @odata.nextLink }`. */
export function readPage(body: unknown): { records: Array<Record<string, unknown>>; next?: string } {
  const b = (typeof body === 'string' ? safeJson(body) : body) as Record<string, unknown> | undefined;
  const d = b?.d as Record<string, unknown> | unknown[] | undefined;
  let records: unknown;
  let next: unknown;
  if (Array.isArray(d)) records = d;
  else if (d && typeof d === 'object') {
    records = d.results;
    next = d.__next;
  } else if (b && Array.isArray(b.value)) {
    records = b.value;
    next = b['@odata.nextLink'];
  }
  if (!Array.isArray(records)) throw new ConfigError('erp.odata_shape', 'The ERP answer is not an OData collection (no d.results or value): check entitySet.');
  return { records: records.filter((r): r is Record<string, unknown> => !!r && typeof r === 'object'), ...(typeof next === 'string' && next ? { next } : {}) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `__metadata` and deferred navigation links are OData plumbing, not customer data. */
function stripMetadata(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (k === '__metadata' || k.startsWith('@odata.')) continue;
    if (v && typeof v === 'object' && '__deferred' in (v as object)) continue;
    out[k] = v;
  }
  return out;
}
