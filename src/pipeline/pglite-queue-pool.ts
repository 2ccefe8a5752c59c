import { EventEmitter } from 'node:events';
import { PGlite, type Results } from '@electric-sql/pglite';

/**
 * A `pg.Pool` look-alike over an embedded PGlite database, for BullMQ's PostgreSQL backend (QUEUE_BACKEND=pglite).
 *
 * Why not the `pg` bridge (`createPgConfig`) the store uses: PGlite is one session, and the bridge's pool has one
 * connection. BullMQ checks a dedicated LISTEN client out of the pool it is given and keeps it for the worker's
 * lifetime, so every other query waits for a connection that never comes back: the worker receives no jobs.
 * Giving the bridge more connections does not help either: they all share the one session, their protocol
 * messages interleave, and a NOTIFY is delivered in the reply of whichever connection ran the notifying query,
 * never to the idle LISTEN client.
 *
 * BullMQ's backend sends every operation as a single statement through `pool.query` (no multi-statement
 * transactions of its own), so this adapter sends each one straight to PGlite, which serializes them; and the
 * LISTEN client hears PGlite's own notification callback, which sees every NOTIFY of the session.
 *
 * The queues live in a PGlite database of their own (beside the store's): the store's transactions go through
 * the `pg` bridge, which does not hold PGlite's transaction lock across statements, so a queue statement sent to
 * the same database could land inside a store transaction (and be rolled back with it).
 */
export class PgliteQueuePool extends EventEmitter {
  constructor(readonly pglite: PGlite) {
    super();
  }

  static async open(dataDir: string): Promise<PgliteQueuePool> {
    return new PgliteQueuePool(await PGlite.create(dataDir));
  }

  query(text: string, params?: readonly unknown[]): Promise<{ rows: never[]; rowCount: number }> {
    return runOn(this.pglite, text, params);
  }

  async connect(): Promise<PgliteQueueClient> {
    return new PgliteQueueClient(this.pglite);
  }

  async end(): Promise<void> {
    // The owner closes the database (see close()); BullMQ never ends a pool it was given.
  }

  async close(): Promise<void> {
    await this.pglite.close();
  }
}

class PgliteQueueClient extends EventEmitter {
  private readonly unsubscribe: () => void;

  constructor(private readonly pglite: PGlite) {
    super();
    this.unsubscribe = pglite.onNotification((channel, payload) => this.emit('notification', { channel, payload }));
  }

  query(text: string, params?: readonly unknown[]) {
    return runOn(this.pglite, text, params);
  }

  release(): void {
    this.unsubscribe();
  }
}

async function runOn(pglite: PGlite, text: string, params?: readonly unknown[]): Promise<{ rows: never[]; rowCount: number }> {
  // Without parameters `pg` uses the simple protocol, which allows several statements (BullMQ's migrations do).
  if (!params || params.length === 0) {
    const results = await pglite.exec(text);
    return toResult(results[results.length - 1]);
  }
  return toResult(await pglite.query(text, params as unknown[]));
}

function toResult(r: Results | undefined): { rows: never[]; rowCount: number } {
  const rows = (r?.rows ?? []) as never[];
  return { rows, rowCount: r?.affectedRows ?? rows.length };
}
