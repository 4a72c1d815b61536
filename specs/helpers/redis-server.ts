import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** A `redis-server` of a spec's own: a free port on 127.0.0.1, a temporary directory, no persistence. */
export interface LocalRedis {
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  /** Stops it (SIGTERM to its pid), and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port (its data is gone: no persistence). */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

/** Starts a `redis-server` on a free port and waits until it accepts connections. */
export async function startRedis(options: { readonly password?: string } = {}): Promise<LocalRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'rocketship-redis-'));
  const port = await freePort();
  let child: ChildProcess = await launch(dir, port, options.password);
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
    restart: async () => {
      await stop();
      child = await launch(dir, port, options.password);
    },
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function launch(dir: string, port: number, password: string | undefined): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--loglevel', 'warning'];
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
