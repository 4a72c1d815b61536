import { randomBytes } from 'node:crypto';
import { defer, from, mergeMap } from 'rxjs';
import type { QueueExecutor, QueueExecutorConfig } from './queue-executor.js';
import type { QueueWorker, QueueWorkerConfig } from './worker.js';

/**
 * `queueExecutor` as the package exports it: the same executor, with BullMQ and ioredis loaded on
 * first use (the first test it runs, or `ready()`), so that importing `rocketship-rx` for local
 * runs never loads them. The run's id is known at once.
 *
 * const executor = queueExecutor({ redis: 'redis://127.0.0.1:6379', key: process.env.ROCKETSHIP_QUEUE_KEY });
 * await executor.ready();                                   // rejects when Redis does not answer (URL masked)
 * runSuite(loaded, { http, plugins, executor }).subscribe(...);   // then: await executor.close()
 */
export function queueExecutor(config: QueueExecutorConfig): QueueExecutor {
  const runId = config.runId ?? randomBytes(6).toString('hex');
  let loaded: Promise<QueueExecutor> | undefined;
  const real = (): Promise<QueueExecutor> => (loaded ??= import('./queue-executor.js').then((m) => m.queueExecutor({ ...config, runId })));
  return {
    runId,
    runTest: (job) => defer(() => from(real())).pipe(mergeMap((executor) => executor.runTest(job))),
    suiteInit: (suite, init$) => defer(() => from(real())).pipe(mergeMap((executor) => executor.suiteInit(suite, init$))),
    ready: async () => (await real()).ready(),
    start: async (suites) => (await real()).start(suites),
    finish: async () => (loaded === undefined ? undefined : (await loaded).finish()),
    cancel: async () => (await real()).cancel(),
    // Never loaded: nothing to close.
    close: async () => (loaded === undefined ? undefined : (await loaded).close()),
  };
}

/**
 * `startWorker` as the package exports it: BullMQ and ioredis are loaded when it is called, not
 * when the package is imported. See the worker's own doc comment (lib/queue/worker.ts).
 */
export async function startWorker(config: QueueWorkerConfig): Promise<QueueWorker> {
  const { startWorker: start } = await import('./worker.js');
  return start(config);
}
