import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What bench/server.mjs recorded since the last reset. */
export interface ServerRecords {
  /** Requests of any route. */
  readonly requests: number;
  /** Poll key -> `[arrivedMs, finishedMs]` of each request, in arrival order, on the server's clock. */
  readonly polls: Readonly<Record<string, ReadonlyArray<readonly [number, number]>>>;
  /** When each request of `/ok/` arrived, in arrival order, on the server's clock (ms). */
  readonly okArrivals: readonly number[];
}

/** The benchmark server process (bench/server.mjs), driven over IPC. */
export interface BenchServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  reset(): Promise<void>;
  records(): Promise<ServerRecords>;
  close(): Promise<void>;
}

/**
 * Starts bench/server.mjs in its own process (so that it does not share an event loop with the
 * harness) and resolves once it listens.
 *
 * const server = await startBenchServer();
 * await server.reset();  // ... run a client against `${server.url}/ok/1` ...
 * (await server.records()).requests   // 1
 */
export function startBenchServer(): Promise<BenchServer> {
  const child = fork(fileURLToPath(new URL('./server.mjs', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    child.once('message', (m: { type?: string; port?: number }) => {
      if (m.type !== 'listening' || m.port === undefined) return reject(new Error(`unexpected message ${JSON.stringify(m)}`));
      child.removeAllListeners('exit');
      resolve(client(child, `http://127.0.0.1:${m.port}`));
    });
  });
}

function client(child: ChildProcess, url: string): BenchServer {
  const ask = <T>(type: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: { type?: string }) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        resolve(m as T);
      };
      child.on('message', onMessage);
      child.send({ type }, (error) => error && reject(error));
    });
  return {
    url,
    reset: async () => void (await ask('reset')),
    records: () => ask<ServerRecords>('records'),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      await ask('close');
      await exited;
    },
  };
}
