import { pino, type Logger } from 'pino';

/**
 * Secrets and personal data never reach a log line. Paths cover connector credentials and the person
 * fields of payloads and drafts, wherever they are nested one or two levels down.
 */
export const REDACT_PATHS = [
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'clientSecret',
  'privateKey',
  'apiKey',
  'authorization',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  '*.privateKey',
  '*.apiKey',
  '*.authorization',
  'payload',
  '*.payload',
  'record',
  '*.record',
  'drafts',
  '*.drafts',
];

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'crosswalk',
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  });
}
