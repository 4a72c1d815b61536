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

/**
 * A log for a Redis outage that says each thing once: the first error of an outage, not every
 * failed reconnection (one every 2 s at most, for as long as it lasts). Each distinct message is
 * said once until the connection is back (`reconnected()`).
 */
export interface OutageLog {
  (line: string): void;
  /** A connection is ready again: says so once, and lets the next outage be told. */
  reconnected(): void;
}

/** An {@link OutageLog} writing to `log`. */
export function outageLog(log: (line: string) => void): OutageLog {
  const said = new Set<string>();
  const tell = (line: string): void => {
    if (said.has(line)) return;
    said.add(line);
    log(said.size === 1 ? `${line}; reconnecting` : line);
  };
  return Object.assign(tell, {
    reconnected: () => {
      if (said.size === 0) return;
      said.clear();
      log('redis: reconnected');
    },
  });
}

/** Tells `outage` about `client`'s errors and its coming back. */
export function watchConnection(client: Redis, outage: OutageLog): void {
  client.on('error', (e: Error) => outage(`redis: ${e.message}`));
  client.on('ready', () => outage.reconnected());
}
