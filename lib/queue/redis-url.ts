import { Redis } from 'ioredis';

/** A Redis URL with its password (and an ACL user's password) shown as `***`. */
export function maskRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    // Not a URL: keep what precedes an `@` out of sight, whatever it is.
    return url.includes('@') ? `***@${url.slice(url.lastIndexOf('@') + 1)}` : url;
  }
}

/** Redis could not be reached when the run or the worker started: what was tried, and how it failed. */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
  constructor(readonly info: { readonly url: string; readonly reason: string }) {
    super(`cannot reach Redis at ${info.url}: ${info.reason}`);
  }
}

/**
 * A connection for BullMQ and our streams: commands wait while it reconnects
 * (`maxRetriesPerRequest: null`, as BullMQ's workers need), reconnecting every 0.1 s to 2 s.
 * `rediss://` URLs connect with TLS.
 */
export function openRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(100 * times, 2000) });
}

/**
 * Connects once to `url` and sends PING, without retrying: resolves when Redis answers, else
 * rejects with a {@link RedisUnreachableError} naming the URL (password masked) and the failure.
 */
export async function checkRedis(url: string, timeoutMs = 5000): Promise<void> {
  const masked = maskRedisUrl(url);
  let client: Redis;
  try {
    client = new Redis(url, {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      connectTimeout: timeoutMs,
      enableOfflineQueue: false,
    });
  } catch (error) {
    throw new RedisUnreachableError({ url: masked, reason: describe(error) });
  }
  client.on('error', () => undefined); // reported by connect() below
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new RedisUnreachableError({ url: masked, reason: `connecting and sending PING failed: ${describe(error)}` });
  } finally {
    client.disconnect();
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim() === '' ? 'no answer' : message;
}
