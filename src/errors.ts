/**
 * Every failure says what kind it is, because the kind decides what happens next:
 * - config: a person must fix something (credentials, a mapping, a path). Never retried.
 * - transient: the network, a rate limit, a busy server. Retried with backoff.
 * - system: a bug or a broken invariant. Not retried blindly; reported.
 */
export type FailureType = 'config' | 'transient' | 'system';

export class CrosswalkError extends Error {
  readonly code: string;
  readonly failureType: FailureType;
  readonly path?: string;
  /** When a transient failure knows when to try again (an API budget that resets), in ms since epoch. */
  readonly retryAt?: number;

  constructor(
    code: string,
    message: string,
    options: { failureType?: FailureType; path?: string; cause?: unknown; retryAt?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'CrosswalkError';
    this.code = code;
    this.failureType = options.failureType ?? 'system';
    this.path = options.path;
    this.retryAt = options.retryAt;
  }

  toJSON(): { code: string; message: string; failureType: FailureType; path?: string } {
    return { code: this.code, message: this.message, failureType: this.failureType, ...(this.path ? { path: this.path } : {}) };
  }
}

export class ConfigError extends CrosswalkError {
  constructor(code: string, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(code, message, { ...options, failureType: 'config' });
    this.name = 'ConfigError';
  }
}

export class TransientError extends CrosswalkError {
  constructor(code: string, message: string, options: { cause?: unknown; retryAt?: number } = {}) {
    super(code, message, { ...options, failureType: 'transient' });
    this.name = 'TransientError';
  }
}

// Network and server-availability failures (Node socket errors, PostgreSQL classes 08 and 57P) pass by themselves.
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', '40001', '40P01']);

/** Describes any thrown value in the one error shape the run records, the API and the CLI show. */
export function describeError(error: unknown): { code: string; message: string; failureType: FailureType; path?: string } {
  if (error instanceof CrosswalkError) return error.toJSON();
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) {
    return { code: `transient.${code.toLowerCase()}`, message: (error as Error).message || code, failureType: 'transient' };
  }
  if (error instanceof Error) return { code: 'system.unexpected', message: error.message, failureType: 'system' };
  return { code: 'system.unexpected', message: String(error), failureType: 'system' };
}
