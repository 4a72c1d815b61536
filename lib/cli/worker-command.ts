import { firstValueFrom } from 'rxjs';
import { createAxiosClient } from '../http/axios-client.js';
import { builtinPlugins } from '../plugins/builtin.js';
import { checkRedis, DEFAULT_QUEUE, maskRedisUrl, QUEUE_KEY_VARIABLE, startWorker } from '../queue/index.js';
import type { WorkerArgs } from './parse-args.js';
import type { CliIO } from './cli-io.js';

/**
 * `rocketship worker`: checks Redis answers (else exit 2, URL with its password masked), takes
 * tests from the queue until the first signal, then stops taking them, hands back those it
 * holds (they continue on another worker) and resolves to 0.
 */
export async function runWorkerCommand(args: WorkerArgs, io: CliIO): Promise<number> {
  const url = maskRedisUrl(args.redis);
  try {
    await checkRedis(args.redis);
  } catch (error) {
    io.stderr(`rocketship worker: ${(error as Error).message}\n`);
    return 2;
  }
  const http = createAxiosClient({ maxSocketsPerHost: args.maxConnections });
  // The lines said in one turn of the event loop go out in one write: a worker taking 2,000 tests
  // at once says 2,000 lines, and a write each cost more CPU than the rest of its logging.
  let pending: string[] = [];
  const flushLog = (): void => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    io.stderr(text);
  };
  const log = (line: string): void => {
    if (pending.push(`${line}\n`) === 1) setImmediate(flushLog);
  };
  let worker;
  try {
    worker = await startWorker({
      redis: args.redis,
      queue: args.queue,
      concurrency: args.concurrency,
      key: io.env[QUEUE_KEY_VARIABLE],
      plugins: builtinPlugins(),
      http,
      env: io.env,
      log,
    });
  } catch (error) {
    io.stderr(`rocketship worker: ${(error as Error).message}\n`);
    return 2;
  }
  io.stderr(`worker ${worker.name}: taking tests from queue ${args.queue ?? DEFAULT_QUEUE} on ${url}, ${args.concurrency} at once\n`);
  // Once the queue's modules are loaded (see `CliIO.tuneForTestsAtOnce`).
  io.tuneForTestsAtOnce?.(args.concurrency);
  const signal = await firstValueFrom(io.interrupt$);
  flushLog();
  io.stderr(`worker ${worker.name}: ${signal}: handing back the tests it holds, then exiting\n`);
  await worker.close();
  flushLog();
  http.closeIdleConnections();
  return 0;
}
