import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, ROOT } from './run-cli.js';

/** The `ROCKETSHIP_QUEUE_KEY` distributed-run specs give the coordinator and the workers. */
export const SPEC_QUEUE_KEY = 'spec-queue-key-0123456789abcdef';

/** A `rocketship worker` process (the real bin), with what it said on stderr so far. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Its name (`host/pid`), as it said when it started. */
  readonly name: () => string;
  readonly stderr: () => string;
}

/** Starts `rocketship worker --redis URL` and resolves once it says it takes tests. */
export function startWorkerProcess(
  redis: string,
  options: { readonly env?: Record<string, string | undefined>; readonly concurrency?: number; readonly args?: readonly string[] } = {},
): Promise<WorkerProcess> {
  const args = ['--', BIN, 'worker', '--redis', redis, '--concurrency', String(options.concurrency ?? 4), ...(options.args ?? [])];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ROCKETSHIP_QUEUE_KEY: SPEC_QUEUE_KEY, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  return new Promise((resolve, reject) => {
    const check = setInterval(() => {
      const m = /^worker (\S+): taking tests/m.exec(err);
      if (m !== null) {
        clearInterval(check);
        resolve({ child, name: () => m[1] as string, stderr: () => err });
      }
      if (child.exitCode !== null) {
        clearInterval(check);
        reject(new Error(`worker exited: ${err}`));
      }
    }, 50);
  });
}

/** SIGTERM, then its exit code (null if a signal ended it); at once if it already exited. */
export async function stopWorker(w: WorkerProcess): Promise<number | null> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return w.child.exitCode;
  const exited = new Promise<number | null>((resolve) => w.child.once('exit', (code) => resolve(code)));
  w.child.kill('SIGTERM');
  return exited;
}
