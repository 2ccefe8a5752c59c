import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { maskSecrets } from '../../../src/secrets/config-secrets.js';
import { encryptSecret, generateSecretKey, parseSecretKey } from '../../../src/secrets/secret-box.js';
import { loadWorkspace } from '../../../src/workspace/workspace.js';

const keyText = generateSecretKey();
const key = parseSecretKey(keyText, 'CROSSWALK_SECRET_KEY');
const CLIENT_SECRET = 'Cl1ent-S3cret-9f2b7c';
const REFRESH_TOKEN = '5Aep861TSESvWeug_refresh';
const PASSWORD = 'hunter2-and-token-XYZ';

function workspace(auth: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'crosswalk-secrets-'));
  writeFileSync(
    path.join(dir, 'crosswalk.yaml'),
    `name: secrets test
connectors:
  - id: crm
    type: salesforce
    config:
      auth:
${auth}
`,
  );
  return dir;
}

const refreshAuth = (secret: string, token: string) => `        kind: refresh_token
        clientId: 3MVG9-consumer-key
        clientSecret: "${secret}"
        refreshToken: "${token}"`;

const saved = process.env.CROSSWALK_SECRET_KEY;
afterEach(() => {
  if (saved === undefined) delete process.env.CROSSWALK_SECRET_KEY;
  else process.env.CROSSWALK_SECRET_KEY = saved;
});

describe('encrypted connector secrets in crosswalk.yaml', () => {
  it('are decrypted when the workspace loads', () => {
    process.env.CROSSWALK_SECRET_KEY = keyText;
    const ws = loadWorkspace(workspace(refreshAuth(encryptSecret(CLIENT_SECRET, key), encryptSecret(REFRESH_TOKEN, key))));
    const auth = (ws.connectors[0]!.config as { auth: Record<string, string> }).auth;
    expect(auth).toMatchObject({ kind: 'refresh_token', clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN });
  });

  it('fail to load with the connector and the field named when the key is missing', () => {
    delete process.env.CROSSWALK_SECRET_KEY;
    const dir = workspace(refreshAuth(encryptSecret(CLIENT_SECRET, key), 'plain-token'));
    expect(() => loadWorkspace(dir)).toThrow(/connectors\[0\] \(crm\)\.config\.auth\.clientSecret: cannot decrypt: .*CROSSWALK_SECRET_KEY is not set/);
  });

  it('fail to load with the connector and the field named when the key is wrong', () => {
    process.env.CROSSWALK_SECRET_KEY = generateSecretKey();
    const dir = workspace(refreshAuth('plain', encryptSecret(REFRESH_TOKEN, key)));
    let message = '';
    try {
      loadWorkspace(dir);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/connectors\[0\] \(crm\)\.config\.auth\.refreshToken: cannot decrypt: the value was encrypted with key/);
    expect(message).not.toContain(REFRESH_TOKEN);
  });

  it('are masked by maskSecrets by field name, by enc: prefix, and by value wherever a decrypted secret turns up', () => {
    process.env.CROSSWALK_SECRET_KEY = keyText;
    const ws = loadWorkspace(workspace(refreshAuth(encryptSecret(CLIENT_SECRET, key), encryptSecret(REFRESH_TOKEN, key))));
    const config = ws.connectors[0]!.config as Record<string, unknown>;
    const masked = maskSecrets({ ...config, note: CLIENT_SECRET, nested: [{ whatever: REFRESH_TOKEN }], pending: 'enc:v1:00000000:abc', clientSecretEnv: 'SF_SECRET' });
    const json = JSON.stringify(masked);
    expect(json).not.toContain(CLIENT_SECRET);
    expect(json).not.toContain(REFRESH_TOKEN);
    expect(json).not.toContain('enc:v1');
    expect(masked).toMatchObject({ auth: { clientId: '3MVG9-consumer-key', clientSecret: '[secret]', refreshToken: '[secret]' }, clientSecretEnv: 'SF_SECRET' });
    expect(maskSecrets({ auth: { privateKey: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----' }, password: 'x', apiKey: 'y', tokenUrl: 'https://login' })).toEqual({
      auth: { privateKey: '[secret]' },
      password: '[secret]',
      apiKey: '[secret]',
      tokenUrl: 'https://login',
    });
  });

  it('never reach a log line, even at trace level and nested in a workspace', () => {
    process.env.CROSSWALK_SECRET_KEY = keyText;
    const ws = loadWorkspace(workspace(refreshAuth(encryptSecret(CLIENT_SECRET, key), encryptSecret(REFRESH_TOKEN, key))));
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    const logger = createLogger({ level: 'trace', destination: sink });
    const config = ws.connectors[0]!.config as { auth: Record<string, unknown> };
    logger.trace({ config }, 'connector config');
    logger.trace({ workspace: { connectors: ws.connectors.map((c) => ({ id: c.id, config: c.config })) } }, 'workspace');
    logger.trace({ auth: config.auth }, 'auth');
    logger.trace({ password: PASSWORD, db: { password: PASSWORD }, headers: { authorization: `Bearer ${REFRESH_TOKEN}`, cookie: 'cw_session=abc' } }, 'misc');
    logger.child({ connector: { config } }).trace('child');
    expect(out.split('\n').filter(Boolean)).toHaveLength(5);
    expect(out).toContain('[redacted]');
    expect(out).toContain('3MVG9-consumer-key');
    for (const secret of [CLIENT_SECRET, REFRESH_TOKEN, PASSWORD, 'cw_session']) expect(out).not.toContain(secret);
  });
});
