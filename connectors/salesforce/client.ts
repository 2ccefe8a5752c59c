import jsforce, { type Connection } from 'jsforce';
import { HttpApi } from 'jsforce/lib/http-api.js';
import type { HttpResponse } from 'jsforce/lib/types/index.js';
import type { Logger } from 'pino';
import { ConfigError, CrosswalkError, TransientError } from '../../src/sdk/index.js';
import { requestAccessToken, type TokenResponse } from './auth.js';
import { ApiBudget, parseLimitInfo } from './budget.js';
import type { SalesforceConfig } from './config.js';

export type SalesforceRequest = {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** `/query?q=...` (under /services/data/vNN.0), `/services/...` or an absolute URL. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Return the body as text (Bulk API 2.0 CSV results) instead of parsing it. */
  text?: boolean;
};

export type SalesforceResponse<T> = { status: number; headers: Record<string, string>; body: T };

type ApiError = Error & { errorCode?: string; data?: unknown };

/**
 * One authenticated session against one org, on jsforce's Connection and HTTP layer (auth header, error parsing,
 * its retries of 5xx and socket errors). What jsforce leaves open is decided here:
 * - 401 INVALID_SESSION_ID: get a new token once and retry the call; a second refusal, or a 401 saying the session
 *   is not valid for the REST API, is a configuration error (jsforce's own refresh loop is not used).
 * - 403 REQUEST_LIMIT_EXCEEDED and the configured share of the daily budget: TransientError with `retryAt`.
 * - 5xx after jsforce's retries, timeouts, unreachable hosts: TransientError.
 * - Everything else (a bad field in a query, a missing object, no permission): ConfigError naming the fix.
 * Secrets stay in this object: nothing here logs a token or puts one in an error message.
 */
export class SalesforceClient {
  readonly budget: ApiBudget;
  private conn: Connection | undefined;
  private token: TokenResponse | undefined;
  private limitsLoaded = false;

  constructor(
    readonly config: SalesforceConfig,
    private readonly logger?: Logger,
  ) {
    this.budget = new ApiBudget(config.budget);
  }

  get instanceUrl(): string | undefined {
    return this.token?.instanceUrl;
  }

  /** Gets a token (once) and reads `/limits`, so the budget is known before the first real call. */
  async connect(): Promise<void> {
    if (!this.conn) await this.authenticate();
    if (!this.limitsLoaded) {
      this.limitsLoaded = true;
      const limits = await this.request<Record<string, { Max: number; Remaining: number }>>({ method: 'GET', url: '/limits' });
      const daily = limits.body.DailyApiRequests;
      if (daily && daily.Max > 0) this.budget.observe({ used: daily.Max - daily.Remaining, limit: daily.Max });
      this.logger?.info({ apiUsage: this.budget.usage, share: this.config.budget.share }, 'salesforce api budget');
      this.budget.assertAvailable();
    }
  }

  private async authenticate(): Promise<void> {
    const previousRefresh = this.token?.refreshToken;
    const token = await requestAccessToken(this.config.auth, this.config.loginUrl);
    this.token = { ...token, ...(token.refreshToken ?? previousRefresh ? { refreshToken: token.refreshToken ?? previousRefresh } : {}) };
    this.conn = new jsforce.Connection({ instanceUrl: token.instanceUrl, accessToken: token.accessToken, version: this.config.apiVersion, loginUrl: this.config.loginUrl });
  }

  async request<T>(req: SalesforceRequest): Promise<SalesforceResponse<T>> {
    if (!this.conn) await this.authenticate();
    this.budget.assertAvailable();
    try {
      return await this.send<T>(req);
    } catch (error) {
      if (!isInvalidSession(error)) throw this.translate(error, req);
      if (isNotValidForRest(error)) throw notValidForRest();
      this.logger?.info({ code: 'salesforce.session_expired' }, 'salesforce session expired: getting a new token');
      await this.authenticate();
      try {
        return await this.send<T>(req);
      } catch (second) {
        if (isInvalidSession(second)) {
          if (isNotValidForRest(second)) throw notValidForRest();
          throw new ConfigError('salesforce.session_rejected', 'Salesforce rejected a freshly issued session (INVALID_SESSION_ID twice): check that the integration user is active and its IP and session policies allow API access, then reconnect the connector.');
        }
        throw this.translate(second, req);
      }
    }
  }

  private async send<T>(req: SalesforceRequest): Promise<SalesforceResponse<T>> {
    const conn = this.conn!;
    const { http } = this.config;
    const api = new HttpApi(conn, {
      retry: { maxRetries: http.maxRetries, minTimeout: http.retryMinTimeoutMs, methods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH'] },
      timeout: http.timeoutMs,
      ...(req.text ? { responseType: 'text/plain' } : {}),
    });
    let response: HttpResponse | undefined;
    api.on('response', (r: HttpResponse) => {
      response = r;
      this.budget.observe(parseLimitInfo(r.headers?.['sforce-limit-info']));
    });
    this.budget.calls += 1;
    const headers: Record<string, string> = { ...req.headers };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['content-type'] ??= 'application/json';
    }
    try {
      const result = await api.request<T>({ method: req.method, url: this.absoluteUrl(req.url), headers, ...(body !== undefined ? { body } : {}) });
      return { status: response?.statusCode ?? 0, headers: (response?.headers ?? {}) as Record<string, string>, body: result };
    } catch (error) {
      if (error && typeof error === 'object' && response) Object.assign(error, { httpStatus: response.statusCode });
      throw error;
    }
  }

  absoluteUrl(url: string): string {
    if (/^https?:\/\//.test(url)) return url;
    const base = this.token!.instanceUrl.replace(/\/$/, '');
    if (url.startsWith('/services/')) return base + url;
    return `${base}/services/data/v${this.config.apiVersion}${url}`;
  }

  private translate(error: unknown, req: SalesforceRequest): Error {
    if (error instanceof CrosswalkError) return error;
    const e = error as ApiError & { httpStatus?: number; code?: string; type?: string };
    const status = e.httpStatus;
    const code = e.errorCode ?? e.name;
    const what = `${req.method} ${req.url.split('?')[0]}`;
    if (code === 'REQUEST_LIMIT_EXCEEDED') {
      // The same code reports the concurrent long-request limit: that one passes in seconds, not at midnight.
      if (/concurrent/i.test(e.message)) return new TransientError('salesforce.concurrency_limit', `Salesforce refused the call: too many long-running requests in the org (${e.message}).`, { retryAt: Date.now() + 60_000 });
      return this.budget.exhausted(e.message);
    }
    if (status !== undefined && status >= 500) {
      return new TransientError('salesforce.unavailable', `Salesforce answered ${status} to ${what} after ${this.config.http.maxRetries} retries: ${e.message.slice(0, 200)}`, { cause: error });
    }
    if (status === undefined || e.name === 'FetchError' || e.name === 'AbortError' || e.type === 'request-timeout' || (e.code && /^(E[A-Z]+|UND_ERR)/.test(e.code))) {
      return new TransientError('salesforce.unreachable', `Salesforce could not be reached for ${what}: ${e.message}`, { cause: error });
    }
    if (status === 403) {
      return new ConfigError('salesforce.forbidden', `Salesforce refused ${what} (${code}: ${e.message}): give the integration user "API Enabled" and read access to the object (see connectors/salesforce/README.md, permission set).`, { cause: error });
    }
    if (code === 'INVALID_FIELD' || code === 'INVALID_TYPE' || code === 'MALFORMED_QUERY' || code === 'NOT_FOUND' || status === 404 || status === 400) {
      return new ConfigError(`salesforce.${(code ?? 'bad_request').toLowerCase()}`, `Salesforce refused ${what} (${code}: ${e.message}): check the connector's object and field names and the user's field-level security.`, { cause: error });
    }
    return new ConfigError('salesforce.request_failed', `Salesforce refused ${what} (${status} ${code}: ${e.message}).`, { cause: error });
  }
}

function isInvalidSession(error: unknown): boolean {
  const e = error as ApiError & { httpStatus?: number };
  return e?.httpStatus === 401 || e?.errorCode === 'INVALID_SESSION_ID';
}

function isNotValidForRest(error: unknown): boolean {
  return /not valid for use with the REST API/i.test((error as Error).message ?? '');
}

function notValidForRest(): ConfigError {
  return new ConfigError(
    'salesforce.session_not_valid_for_rest',
    'Salesforce says this session is not valid for use with the REST API: the connected app lacks the "api" OAuth scope, or the user lacks "API Enabled". Fix the connected app or permission set, then reconnect the connector.',
  );
}
