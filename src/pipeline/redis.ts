import { Redis } from 'ioredis';
import { ConfigError } from '../errors.js';

export type RedisConnection = Redis;

/** A connection for BullMQ: commands wait through reconnects instead of failing after a few retries. */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/**
 * Fails fast, with the one message a person needs, when Redis is not there: BullMQ would otherwise
 * retry the connection silently forever.
 */
export async function assertRedisAvailable(url: string, timeoutMs = 2000): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new ConfigError(
      'redis.unreachable',
      `Redis does not answer at ${redactRedisUrl(url)} (${(error as Error).message}). Crosswalk runs its sync jobs on Redis: start it with ` +
        '`redis-server --daemonize yes` (or `docker compose up -d redis`), or point REDIS_URL at a running server.',
      { cause: error },
    );
  } finally {
    probe.disconnect();
  }
}

function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
