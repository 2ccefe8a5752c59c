import { TransientError } from '../../src/sdk/index.js';

export type ApiUsage = { used: number; limit: number };

/** Reads `Sforce-Limit-Info: api-usage=18/5000` (other entries, such as per-app usage, may follow). */
export function parseLimitInfo(header: string | undefined | null): ApiUsage | undefined {
  if (!header) return undefined;
  const m = /api-usage=(\d+)\/(\d+)/.exec(header);
  if (!m) return undefined;
  return { used: Number(m[1]), limit: Number(m[2]) };
}

/** The next midnight UTC after `now`, in ms. Salesforce's window is rolling 24 h, so this is a floor, not a promise. */
export function nextUtcMidnight(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

/**
 * Keeps a sync under its share of the org's daily API requests. It learns the usage from `/limits` at the start
 * and from the `Sforce-Limit-Info` header of every response, and refuses the next call once the share is reached:
 * the run stops with a TransientError whose `retryAt` is when the budget is expected back, and the engine
 * reschedules it then (the checkpoint of the last stored batch makes the rerun continue, not restart).
 */
export class ApiBudget {
  usage: ApiUsage | undefined;
  /** Calls this connector made (each jsforce retry is one more, unseen here). */
  calls = 0;

  constructor(
    private readonly options: { share: number; backoffMinutes?: number },
    private readonly now: () => number = Date.now,
  ) {}

  observe(usage: ApiUsage | undefined): void {
    if (usage) this.usage = usage;
  }

  /** The share used so far, 0..1, when known. */
  get usedShare(): number | undefined {
    return this.usage && this.usage.limit > 0 ? this.usage.used / this.usage.limit : undefined;
  }

  retryAt(): number {
    const now = this.now();
    return this.options.backoffMinutes ? now + this.options.backoffMinutes * 60_000 : nextUtcMidnight(now);
  }

  /** Throws when the next call would go over the configured share. */
  assertAvailable(): void {
    const share = this.usedShare;
    if (share === undefined || share < this.options.share) return;
    const retryAt = this.retryAt();
    throw new TransientError(
      'salesforce.api_budget_reached',
      `This connector's share of the org's daily API requests is used (${this.usage!.used} of ${this.usage!.limit}, share ${this.options.share}): the sync continues at ${new Date(retryAt).toISOString()}. Raise budget.share to let it use more.`,
      { retryAt },
    );
  }

  /** The org's budget is spent for everyone (403 REQUEST_LIMIT_EXCEEDED). */
  exhausted(message: string): TransientError {
    const retryAt = this.retryAt();
    return new TransientError('salesforce.api_limit_exceeded', `Salesforce refused the call: the org's daily API request limit is exceeded (${message}). The sync continues at ${new Date(retryAt).toISOString()}.`, { retryAt });
  }
}
