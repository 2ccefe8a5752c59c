import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/**
 * The HTTP API served by several processes on one port (node:cluster: the first process accepts connections and
 * hands each to the next API process in turn). One Node process answers on one core; with more, the API uses the
 * cores PostgreSQL leaves it, and a pause in one process (a full garbage collection of the search index's heap)
 * holds up only the connections it holds. Each process keeps its own search index (about 0.9 GB at a million
 * masters), loaded from the store as it starts.
 *
 * The forked processes run `entry` (a module that starts the API through `serveAsApiProcess`); one that exits
 * unexpectedly is started again, after a delay that grows (to 30 s) while it keeps failing to start.
 */

type Message = { crosswalkApi: 'listening'; url: string } | { crosswalkApi: 'failed'; message: string };

export type ApiProcesses = { url: string; close(): Promise<void> };

export async function startApiProcesses(options: {
  count: number;
  entry: string;
  args?: string[];
  /** Node's options for the forked processes; this process's own by default (tsx's loader included). */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  logger: Logger;
}): Promise<ApiProcesses> {
  if (!cluster.isPrimary) throw new Error('startApiProcesses: called inside an API process');
  const { count, logger } = options;
  cluster.setupPrimary({ exec: options.entry, args: options.args ?? [], ...(options.execArgv ? { execArgv: options.execArgv } : {}) });
  let closing = false;
  /** Failures in a row of each slot's process (reset once it listens), for the delay before the next start. */
  const failures = new Map<number, number>();
  const timers = new Set<NodeJS.Timeout>();

  // `initial`: the first start, whose failure fails startApiProcesses; later ones are retried with a growing delay.
  const fork = (slot: number, initial: boolean): Promise<string> =>
    new Promise((resolve, reject) => {
      const worker: Worker = cluster.fork({ ...options.env, CROSSWALK_API_PROCESS: String(slot) });
      let listening = false;
      worker.on('message', (message: Message) => {
        if (message?.crosswalkApi === 'listening') {
          listening = true;
          failures.set(slot, 0);
          resolve(message.url);
        } else if (message?.crosswalkApi === 'failed') reject(new Error(`API process ${slot}: ${message.message}`));
      });
      worker.on('exit', (code, signal) => {
        if (closing) return;
        if (!listening) reject(new Error(`API process ${slot} exited (${signal ?? code}) before it listened`));
        if (initial && !listening) return;
        const n = (failures.get(slot) ?? 0) + 1;
        failures.set(slot, n);
        const delay = Math.min(30_000, 500 * 2 ** (n - 1));
        logger.error({ slot, code, signal, restartInMs: delay }, 'API process exited; starting it again');
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!closing) fork(slot, false).catch((err: unknown) => logger.error({ slot, err }, 'API process failed to start again'));
        }, delay);
        timers.add(timer);
      });
    });

  const close = async (): Promise<void> => {
    closing = true;
    for (const timer of timers) clearTimeout(timer);
    await Promise.all(
      Object.values(cluster.workers ?? {}).map(
        (w) =>
          new Promise<void>((resolve) => {
            if (!w || w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    const urls = await Promise.all(Array.from({ length: count }, (_, i) => fork(i + 1, true)));
    return { url: urls[0]!, close };
  } catch (error) {
    // One could not start: the others are stopped too, rather than left serving half the port.
    await close();
    throw error;
  }
}

/**
 * The body of a forked API process: runs `serve` (which starts the API and gives its address) and tells the first
 * process that it listens there, or why it could not start, before exiting with an error.
 */
export async function serveAsApiProcess(serve: () => Promise<string>): Promise<void> {
  try {
    const url = await serve();
    process.send?.({ crosswalkApi: 'listening', url } satisfies Message);
  } catch (error) {
    const message: Message = { crosswalkApi: 'failed', message: error instanceof Error ? error.message : String(error) };
    // Sent before exiting, so that the message is not lost with the process.
    await new Promise<void>((resolve) => (process.send ? process.send(message, undefined, {}, () => resolve()) : resolve()));
    process.exit(1);
  }
}
