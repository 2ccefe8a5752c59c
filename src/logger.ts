import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Secrets and personal data never reach a log line. Credential field names are redacted up to five levels down
 * (a connector config inside a workspace inside a log object: `workspace.connectors[0].config.auth.clientSecret`); the
 * person fields of payloads and drafts one or two levels down. For anything deeper or named otherwise, log the
 * output of `maskSecrets` (src/secrets), which also hides every value decrypted from crosswalk.yaml.
 */
const SECRET_FIELDS = ['password', 'token', 'accessToken', 'refreshToken', 'clientSecret', 'privateKey', 'apiKey', 'authorization', 'secret', 'passphrase', 'cookie'];
const PERSON_FIELDS = ['payload', 'record', 'drafts'];

export const REDACT_PATHS = [
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `*.*.*.${f}`, `*.*.*.*.${f}`, `*.*.*.*.*.${f}`]),
  ...PERSON_FIELDS.flatMap((f) => [f, `*.${f}`]),
];

export function createLogger(options: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  const settings = {
    name: options.name ?? 'crosswalk',
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
