import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** The line a spec prints when it skips for want of `redis-server`. */
export const REDIS_MISSING = 'redis-server is not installed: apt-get install -y redis-server (.ci/run installs it)';

/** Whether `redis-server` can be run here. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Skips the suite (visibly, with how to install it) when `redis-server` is missing. Call at the
 * top of a `describe`, before `before` hooks that start a server.
 */
export function skipWithoutRedis(context: Mocha.Suite): void {
  if (hasRedisServer()) return;
  context.beforeAll(function () {
    console.log(`      skipped: ${REDIS_MISSING}`);
    this.skip();
  });
}

/**
 * A `redis-server` of a spec's own: a free port on 127.0.0.1, a temporary directory, no
 * persistence unless asked (`persistence: true`: an append-only file synced on every write, so a
 * restart finds every key, as a production Redis with AOF does).
 */
export interface LocalRedis {
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  /** Stops it (SIGTERM to its pid), and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port after `stop` (its data is gone unless started with `persistence`). */
  start(): Promise<void>;
  /** `stop`, then `start`. */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

/** Starts a `redis-server` on a free port and waits until it accepts connections. */
export async function startRedis(options: { readonly password?: string; readonly persistence?: boolean } = {}): Promise<LocalRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'rocketship-redis-'));
  const port = await freePort();
  const persistence = options.persistence ?? false;
  let child: ChildProcess = await launch(dir, port, options.password, persistence);
  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  };
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    get pid() {
      return child.pid ?? -1;
    },
    stop,
    start: async () => {
      child = await launch(dir, port, options.password, persistence);
    },
    restart: async () => {
      await stop();
      child = await launch(dir, port, options.password, persistence);
    },
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function launch(dir: string, port: number, password: string | undefined, persistence: boolean): Promise<ChildProcess> {
  const aof = persistence ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...aof, '--loglevel', 'warning'];
  if (password !== undefined) args.push('--requirepass', password);
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (await accepts(port)) return child;
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('redis-server did not start within 10s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A `redis-server` and a client on it, for the specs of one `describe` (see {@link useRedis}). */
export interface RedisInUse {
  readonly redis: LocalRedis;
  readonly client: Redis;
}

/**
 * Starts a `redis-server` of the suite's own (skipped, visibly, without one) and a client on it
 * before its specs, and stops both after them. Read its fields inside hooks and specs.
 *
 * const used = useRedis(this); ... it('...', async () => { await used.client.get('k'); });
 */
export function useRedis(context: Mocha.Suite): RedisInUse {
  skipWithoutRedis(context);
  let redis: LocalRedis | undefined;
  let client: Redis | undefined;
  context.beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  context.afterAll(async () => {
    client?.disconnect();
    await redis?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useRedis: read inside a hook or a spec, once its redis-server has started');
    return value;
  };
  return {
    get redis() {
      return started(redis);
    },
    get client() {
      return started(client);
    },
  };
}
