import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';

/**
 * Every environment variable Crosswalk reads, in one place. The README's configuration reference lists
 * the same names; keep them in step.
 */
const EnvSchema = z.object({
  DATABASE_URL: z.string().optional(),
  CROSSWALK_DATA_DIR: z.string().default('./data'),
  CROSSWALK_WORKSPACE: z.string().default('examples/demo'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  CROSSWALK_QUEUE_PREFIX: z.string().default('crosswalk'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  // Queues (src/pipeline): where they live, and how the sync worker behaves. See README "Sync engine".
  QUEUE_BACKEND: z.enum(['redis', 'postgres', 'pglite']).default('redis'),
  CROSSWALK_SYNC_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
  CROSSWALK_WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  CROSSWALK_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(15_000),
  CROSSWALK_MATCH_BACKLOG_LIMIT: z.coerce.number().int().min(0).default(20),
});

export type Settings = {
  databaseUrl?: string;
  dataDir: string;
  workspaceDir: string;
  redisUrl: string;
  queuePrefix: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  port: number;
  host: string;
  queueBackend: 'redis' | 'postgres' | 'pglite';
  syncBatchSize: number;
  /** How long a worker's job lock lasts; a killed worker's job is taken over after at most this plus the stalled interval. */
  workerLockMs: number;
  stalledIntervalMs: number;
  /** The sync worker pauses reading while more match requests than this wait (0: never pause). */
  matchBacklogLimit: number;
};

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError('config.environment', `Invalid environment: ${issues}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir: path.resolve(e.CROSSWALK_DATA_DIR),
    workspaceDir: path.resolve(e.CROSSWALK_WORKSPACE),
    redisUrl: e.REDIS_URL,
    queuePrefix: e.CROSSWALK_QUEUE_PREFIX,
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    host: e.HOST,
    queueBackend: e.QUEUE_BACKEND,
    syncBatchSize: e.CROSSWALK_SYNC_BATCH_SIZE,
    workerLockMs: e.CROSSWALK_WORKER_LOCK_MS,
    stalledIntervalMs: e.CROSSWALK_STALLED_INTERVAL_MS,
    matchBacklogLimit: e.CROSSWALK_MATCH_BACKLOG_LIMIT,
  };
}
