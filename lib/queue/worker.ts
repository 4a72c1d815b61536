import { hostname } from 'node:os';
import { asyncScheduler, ReplaySubject, type Subscription } from 'rxjs';
import { WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { HttpClient } from '../http/http-client.js';
import type { PluginRegistry } from '../plugins/registry.js';
import type { RunEvent } from '../event/run-event.js';
import { writeJson } from '../json-text.js';
import type { Json } from '../json.js';
import type { Checkpoint } from './checkpoint.js';
import type { JobData } from './job-data.js';
import { createPayloadCipher, pack, unpack, type PayloadCipher } from './payload-cipher.js';
import { BULL_PREFIX, cancelChannel, cancelledKey, DEFAULT_QUEUE, MAX_STREAM_ENTRIES } from './queue-keys.js';
import { openRedis } from './redis-url.js';
import { runTestJob, type JobProgress } from './run-test-job.js';
import type { TestPayload } from './test-payload.js';

/**
 * How long a worker holds a job without renewing its lock (renewed every half of it), and how
 * often workers look for jobs whose lock expired: a job of a worker killed outright moves to
 * another worker within `LOCK_MS + STALLED_CHECK_MS` (6 s), well within the 10 s promised.
 */
export const LOCK_MS = 4000;
export const STALLED_CHECK_MS = 2000;
/** How many times one test may be taken over from a worker that stopped before it is failed. */
export const MAX_RESUMES = 10;
/** How long events that do not checkpoint (a step's start, a log line) wait for company before they are sent. */
export const EVENT_BATCH_MS = 50;

/** Options of {@link startWorker}. */
export interface QueueWorkerConfig {
  /** The Redis URL (`redis://`, `rediss://` for TLS; user and password in it). */
  readonly redis: string;
  /** The queue to take tests from. Default `rocketship`. */
  readonly queue?: string | undefined;
  /** Tests run at once. Default 8. */
  readonly concurrency?: number | undefined;
  /** The key payloads are encrypted with (`ROCKETSHIP_QUEUE_KEY`): needed for runs with secrets. */
  readonly key?: string | undefined;
  readonly plugins: PluginRegistry;
  readonly http: HttpClient;
  /** The worker's environment (a shell script's, under the values a run sends). Default none. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** This worker's name in events and reports. Default `<host>/<pid>`. */
  readonly name?: string | undefined;
  /** Where the worker says what it does (a line each: took, ended, handed back, Redis errors). */
  readonly log?: ((line: string) => void) | undefined;
}

/** A running worker. */
export interface QueueWorker {
  readonly name: string;
  /**
   * Stops taking tests, hands back the tests it runs (each continues on another worker from its
   * last checkpoint), and closes its connections. What SIGTERM does.
   */
  close(): Promise<void>;
}

/**
 * Starts a worker that takes tests from the queue and runs them with the same engine as a local
 * run (`plugins`, `http`), publishing each test's events (masked, in batches) to its run's
 * stream and checkpointing the test in its job after every step and poll attempt. A job that
 * holds a checkpoint is a test another worker started: it continues where that one stopped.
 */
export async function startWorker(config: QueueWorkerConfig): Promise<QueueWorker> {
  const queue = config.queue ?? DEFAULT_QUEUE;
  const name = config.name ?? `${hostname()}/${process.pid}`;
  const log = config.log ?? (() => undefined);
  const cipher = config.key === undefined ? undefined : createPayloadCipher(config.key);
  const redis = openRedis(config.redis);
  const subscriber = openRedis(config.redis);
  const bullConnection = openRedis(config.redis);
  for (const client of [redis, subscriber, bullConnection]) client.on('error', (e: Error) => log(`redis: ${e.message}`));

  // Cancelled runs, each a replaying subject its running tests listen to.
  const cancels = new Map<string, ReplaySubject<string>>();
  const cancelOf = (runId: string): ReplaySubject<string> => {
    let subject = cancels.get(runId);
    if (subject === undefined) {
      subject = new ReplaySubject<string>(1);
      cancels.set(runId, subject);
    }
    return subject;
  };
  await subscriber.subscribe(cancelChannel(queue));
  subscriber.on('message', (_channel: string, runId: string) => {
    if (cancels.has(runId)) cancels.get(runId)?.next('the run was cancelled');
  });

  const active = new Map<string, { handBack: () => Promise<void> }>();
  let closing = false;

  const processor = async (job: Job<JobData>, token?: string): Promise<string> => {
    const data = job.data;
    const jobId = job.id ?? '';
    const payload = unpack(data.payload, jobId, cipher, 'payload') as TestPayload;
    const checkpoint =
      data.checkpoint === undefined ? undefined : (unpack(data.checkpoint, `${jobId}.checkpoint`, cipher, 'checkpoint') as Checkpoint);
    const interrupt$ = cancelOf(data.runId);
    if ((await redis.exists(cancelledKey(queue, data.runId))) === 1) interrupt$.next('the run was cancelled');
    log(`${checkpoint?.startedAt === undefined ? 'took' : `resumed (from ${checkpoint.worker})`} ${jobId}: ${payload.test.name}`);

    const publisher = createPublisher(redis, job, data, cipher);
    let subscription: Subscription | undefined;
    const ended = new Promise<string>((resolve, reject) => {
      subscription = runTestJob(payload, checkpoint, {
        plugins: config.plugins,
        http: config.http,
        scheduler: asyncScheduler,
        worker: name,
        interrupt$,
        env: config.env,
      }).subscribe({
        next: (progress) => publisher.push(progress),
        error: (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
        complete: () => {
          publisher
            .drain()
            .then(() => resolve('ended'))
            .catch(reject);
        },
      });
      active.set(jobId, {
        handBack: async () => {
          subscription?.unsubscribe();
          await publisher.drain();
          await job.moveToWait(token);
          log(`handed back ${jobId}`);
          reject(new WaitingError());
        },
      });
    });
    try {
      return await ended;
    } finally {
      active.delete(jobId);
      subscription?.unsubscribe();
    }
  };

  const worker = new Worker<JobData, string>(queue, processor, {
    connection: bullConnection,
    prefix: BULL_PREFIX,
    concurrency: config.concurrency ?? 8,
    lockDuration: LOCK_MS,
    stalledInterval: STALLED_CHECK_MS,
    maxStalledCount: MAX_RESUMES,
    name,
  });
  worker.on('error', (e) => log(`worker: ${e.message}`));
  worker.on('failed', (job, e) => {
    if (!(e instanceof WaitingError)) log(`failed ${job?.id ?? '?'}: ${e.message}`);
  });
  await worker.waitUntilReady();

  return {
    name,
    close: async () => {
      if (closing) return;
      closing = true;
      await worker.pause(true);
      await Promise.allSettled([...active.values()].map((a) => a.handBack()));
      await worker.close();
      await Promise.allSettled([redis.quit(), subscriber.quit(), bullConnection.quit()]);
    },
  };
}

/** Sends a test's events and checkpoints: one stream entry and one job update per batch, in order. */
interface Publisher {
  push(progress: JobProgress): void;
  /** Resolves when everything pushed so far is in Redis. */
  drain(): Promise<void>;
}

function createPublisher(redis: Redis, job: Job<JobData>, data: JobData, cipher: PayloadCipher | undefined): Publisher {
  const jobId = job.id ?? '';
  let pending: RunEvent[] = [];
  let firstSeq = 0;
  let checkpoint: Checkpoint | undefined;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0 || checkpoint === undefined) return chain;
    const events = pending;
    const seq = firstSeq;
    const saved = checkpoint;
    pending = [];
    chain = chain.then(async () => {
      const text = writeJson(events as unknown as Json).text;
      await redis
        .multi()
        .xadd(data.stream, 'MAXLEN', '~', String(MAX_STREAM_ENTRIES), '*', 'job', jobId, 'seq', String(seq), 'events', text)
        .pexpire(data.stream, data.retentionMs)
        .exec();
      await job.updateData({ ...data, checkpoint: pack(saved, `${jobId}.checkpoint`, cipher) });
    });
    return chain;
  };

  return {
    push: ({ event, checkpoint: next }) => {
      if (pending.length === 0) firstSeq = next.seq - 1;
      pending.push(event);
      checkpoint = next;
      // After a step, an attempt or the test's end, the checkpoint goes now; other events wait a little for company.
      if (event._tag === 'StepEnded' || event._tag === 'AttemptMade' || event._tag === 'TestEnded') void flush().catch(() => undefined);
      else timer ??= setTimeout(() => void flush().catch(() => undefined), EVENT_BATCH_MS);
    },
    drain: () => flush(),
  };
}
