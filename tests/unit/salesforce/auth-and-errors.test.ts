import { createVerify } from 'node:crypto';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signJwtAssertion } from '../../../connectors/salesforce/auth.js';
import { nextUtcMidnight, parseLimitInfo } from '../../../connectors/salesforce/budget.js';
import { SalesforceClient } from '../../../connectors/salesforce/client.js';
import { redactConfig, SalesforceConfigSchema } from '../../../connectors/salesforce/config.js';
import { ConfigError, TransientError } from '../../../src/sdk/index.js';
import { testKeyPair } from '../../fakes/salesforce/keys.js';

const LOGIN = 'https://login.example.test';
const INSTANCE = 'https://acme.my.example.test';
const API = `/services/data/v61.0`;

function config(overrides: Record<string, unknown> = {}) {
  return SalesforceConfigSchema.parse({
    loginUrl: LOGIN,
    auth: { kind: 'refresh_token', clientId: 'cid', refreshToken: 'rt-secret' },
    http: { maxRetries: 0, retryMinTimeoutMs: 1, timeoutMs: 2000 },
    ...overrides,
  });
}

function token(times = 1, accessToken = 'at-1') {
  return nock(LOGIN)
    .post('/services/oauth2/token', (body: Record<string, string>) => body.grant_type === 'refresh_token' && body.refresh_token === 'rt-secret')
    .times(times)
    .reply(200, { access_token: accessToken, instance_url: INSTANCE, token_type: 'Bearer' });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('JWT bearer assertion', () => {
  it('is RS256 over iss, sub, aud and a three-minute exp, verifiable with the certificate key', () => {
    const keys = testKeyPair();
    const jwt = signJwtAssertion({ clientId: 'cid', username: 'u@x.com', audience: 'https://login.salesforce.com', privateKey: keys.privateKey, now: 1_700_000_000_000 });
    const [h, c, s] = jwt.split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(c!, 'base64url').toString())).toEqual({ iss: 'cid', sub: 'u@x.com', aud: 'https://login.salesforce.com', exp: 1_700_000_180 });
    expect(createVerify('RSA-SHA256').update(`${h}.${c}`).verify(keys.publicKey, Buffer.from(s!, 'base64url'))).toBe(true);
  });

  it('posts the jwt-bearer grant and uses the instance URL it gets back', async () => {
    const keys = testKeyPair();
    nock(LOGIN)
      .post('/services/oauth2/token', (body: Record<string, string>) => body.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer' && (body.assertion ?? '').split('.').length === 3)
      .reply(200, { access_token: 'at-jwt', instance_url: INSTANCE });
    nock(INSTANCE, { reqheaders: { authorization: 'Bearer at-jwt' } }).get(`${API}/limits`).reply(200, { DailyApiRequests: { Max: 1000, Remaining: 900 } });
    const client = new SalesforceClient(config({ auth: { kind: 'jwt', clientId: 'cid', username: 'u@x.com', privateKey: keys.privateKey } }));
    await client.connect();
    expect(client.budget.usage).toEqual({ used: 100, limit: 1000 });
  });
});

describe('Salesforce errors', () => {
  it('refreshes the token once on 401 INVALID_SESSION_ID and retries the call', async () => {
    token(1, 'at-1');
    token(1, 'at-2');
    nock(INSTANCE).get(`${API}/limits`).reply(200, { DailyApiRequests: { Max: 1000, Remaining: 1000 } });
    nock(INSTANCE, { reqheaders: { authorization: 'Bearer at-1' } }).get(`${API}/sobjects/Account/describe`).reply(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    nock(INSTANCE, { reqheaders: { authorization: 'Bearer at-2' } }).get(`${API}/sobjects/Account/describe`).reply(200, { fields: [] }, { 'Sforce-Limit-Info': 'api-usage=7/1000' });
    const client = new SalesforceClient(config());
    await client.connect();
    const res = await client.request({ method: 'GET', url: '/sobjects/Account/describe' });
    expect(res.body).toEqual({ fields: [] });
    expect(client.budget.usage).toEqual({ used: 7, limit: 1000 });
    expect(nock.isDone()).toBe(true);
  });

  it('gives up with a config error when the fresh session is refused as well', async () => {
    token(2);
    nock(INSTANCE).get(`${API}/limits`).reply(200, { DailyApiRequests: { Max: 1000, Remaining: 1000 } });
    nock(INSTANCE).get(`${API}/query`).query(true).times(2).reply(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const client = new SalesforceClient(config());
    await client.connect();
    await expect(client.request({ method: 'GET', url: '/query?q=SELECT+Id+FROM+Account' })).rejects.toMatchObject({ code: 'salesforce.session_rejected', failureType: 'config' });
  });

  it('says "reconnect the connector" when the refresh token is rejected, without echoing it', async () => {
    nock(LOGIN).post('/services/oauth2/token').reply(400, { error: 'invalid_grant', error_description: 'expired access/refresh token' });
    const error = await new SalesforceClient(config()).connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^Salesforce rejected the refresh token \(invalid_grant: expired access\/refresh token\): reconnect the connector/);
    expect((error as Error).message).not.toContain('rt-secret');
  });

  it('turns 403 REQUEST_LIMIT_EXCEEDED into a transient error that retries at midnight UTC or after the configured backoff', async () => {
    for (const [backoff, expected] of [[undefined, nextUtcMidnight(Date.now())], [45, Date.now() + 45 * 60_000]] as const) {
      token();
      nock(INSTANCE).get(`${API}/limits`).reply(200, { DailyApiRequests: { Max: 1000, Remaining: 1000 } });
      nock(INSTANCE).get(`${API}/query`).query(true).reply(403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
      const client = new SalesforceClient(config(backoff ? { budget: { share: 0.5, backoffMinutes: backoff } } : {}));
      await client.connect();
      const error = (await client.request({ method: 'GET', url: '/query?q=x' }).catch((e: unknown) => e)) as TransientError;
      expect(error).toBeInstanceOf(TransientError);
      expect(error.code).toBe('salesforce.api_limit_exceeded');
      expect(Math.abs(error.retryAt! - expected)).toBeLessThan(5_000);
    }
  });

  it('refuses the next call once Sforce-Limit-Info shows the configured share is used', async () => {
    token();
    nock(INSTANCE).get(`${API}/limits`).reply(200, { DailyApiRequests: { Max: 1000, Remaining: 600 } });
    nock(INSTANCE).get(`${API}/sobjects/Account/describe`).reply(200, { fields: [] }, { 'Sforce-Limit-Info': 'api-usage=500/1000' });
    const client = new SalesforceClient(config());
    await client.connect();
    await client.request({ method: 'GET', url: '/sobjects/Account/describe' });
    await expect(client.request({ method: 'GET', url: '/sobjects/Account/describe' })).rejects.toMatchObject({ code: 'salesforce.api_budget_reached', failureType: 'transient' });
  });

  it('classifies 5xx and unreachable hosts as transient, a bad field as config', async () => {
    token();
    nock(INSTANCE).get(`${API}/limits`).reply(200, { DailyApiRequests: { Max: 1000, Remaining: 1000 } });
    nock(INSTANCE).get(`${API}/query`).query(true).reply(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }]);
    nock(INSTANCE).get(`${API}/query`).query(true).reply(400, [{ errorCode: 'INVALID_FIELD', message: "No such column 'Foo__c' on entity 'Account'" }]);
    nock(INSTANCE).get(`${API}/query`).query(true).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const client = new SalesforceClient(config());
    await client.connect();
    await expect(client.request({ method: 'GET', url: '/query?q=a' })).rejects.toMatchObject({ code: 'salesforce.unavailable', failureType: 'transient' });
    await expect(client.request({ method: 'GET', url: '/query?q=b' })).rejects.toMatchObject({ code: 'salesforce.invalid_field', failureType: 'config' });
    await expect(client.request({ method: 'GET', url: '/query?q=c' })).rejects.toMatchObject({ failureType: 'transient' });
  });
});

describe('budget and config helpers', () => {
  it('parses Sforce-Limit-Info with other entries after it', () => {
    expect(parseLimitInfo('api-usage=18/5000')).toEqual({ used: 18, limit: 5000 });
    expect(parseLimitInfo('api-usage=18/5000; per-app-api-usage=17/250(appName=sample)')).toEqual({ used: 18, limit: 5000 });
    expect(parseLimitInfo(undefined)).toBeUndefined();
  });

  it('redacts every secret of the auth settings', () => {
    const redacted = JSON.stringify(redactConfig(config({ auth: { kind: 'password', clientId: 'cid', clientSecret: 'cs-secret', username: 'u', password: 'pw-secret' } })));
    expect(redacted).not.toMatch(/cs-secret|pw-secret/);
    expect(redacted).toContain('"clientId":"cid"');
  });
});
