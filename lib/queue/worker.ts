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
import { createPayloadCipher, pack, unpack, type Packed, type PayloadCipher } from './payload-cipher.js';
import { publishBatch } from './publish-batch.js';
import { BULL_PREFIX, cancelChannel, cancelledKey, CHECKPOINT_FIELD, DEFAULT_QUEUE } from './queue-keys.js';
import { openRedis, outageLog, watchConnection } from './redis-url.js';
import { runTestJob, type JobProgress } from './run-test-job.js';
import type { TestPayload } from './test-payload.js';

/**
 * How long a worker holds a job without renewing its lock, how often it renews the locks of the
 * jobs it holds, and how often workers look for jobs whose lock expired: a job of a worker killed
 * outright moves to another worker within `LOCK_MS + STALLED_CHECK_MS` (9 s), within the 10 s
 * promised. Locks are renewed every `LOCK_RENEW_MS` at most (a quarter of the lock), so that a
 * worker starved of CPU (2,000 tests at once on a busy machine) may fall 5 s behind before it
 * loses its tests: at 4 s locks renewed every 1-2 s, such a worker (bench `--only scale`) lost the
 * lock of every test about once, and each was taken over, resumed and checkpointed again.
 */
export const LOCK_MS = 7000;
export const LOCK_RENEW_MS = LOCK_MS / 4;
export const STALLED_CHECK_MS = 2000;
/** How many cancelled runs a worker remembers (their ids, from the cancel channel), the oldest forgotten first. */
const REMEMBERED_CANCELS = 1000;
/** How many times one test may be taken over from a worker that stopped before it is failed. */
export const MAX_RESUMES = 10;
/**
 * How long events that do not checkpoint (a step's start, a log line) wait for company before
 * they are sent: usually the step's first attempt comes first and takes them along; a step that
 * runs longer shows as started on the coordinator this late. At 50 ms, a loaded worker sent an
 * extra batch for a test in one of three (bench `--only scale`).
 */
export const EVENT_BATCH_MS = 500;

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
  // Copied once: \`process.env\` is slow to read whole, and each test starts from it.
  const workerEnv = config.env === undefined ? undefined : { ...config.env };
  const redis = openRedis(config.redis);
  const subscriber = openRedis(config.redis);
  const bullConnection = openRedis(config.redis);
  const outage = outageLog(log);
  for (const client of [redis, subscriber, bullConnection]) watchConnection(client, outage);

  // Runs, each a replaying subject its running tests listen to, told when the run is cancelled.
  // Every cancel heard is kept (bounded), so that a test of that run taken later starts
  // interrupted; a cancel not heard (the subscription was reconnecting) is caught by the next
  // batch of the test's events, which asks whether the run was cancelled in the same round trip.
  const cancels = new Map<string, ReplaySubject<string>>();
  const cancelOf = (runId: string): ReplaySubject<string> => {
    let subject = cancels.get(runId);
    if (subject === undefined) {
      subject = new ReplaySubject<string>(1);
      cancels.set(runId, subject);
      if (cancels.size > REMEMBERED_CANCELS) cancels.delete(cancels.keys().next().value as string);
    }
    return subject;
  };
  const cancelled = (runId: string) => cancelOf(runId).next('the run was cancelled');
  await subscriber.subscribe(cancelChannel(queue));
  subscriber.on('message', (_channel: string, runId: string) => cancelled(runId));

  const active = new Map<string, { handBack: () => Promise<void>; abandon: () => void }>();
  let closing = false;

  const processor = async (job: Job<JobData>, token?: string): Promise<string> => {
    const data = job.data;
    const jobId = job.id ?? '';
    const jobKey = `${BULL_PREFIX}:${queue}:${jobId}`;
    const payload = unpack(data.payload, jobId, cipher, 'payload') as TestPayload;
    const interrupt$ = cancelOf(data.runId);
    // Taken the first time (BullMQ counts the takes): no checkpoint yet, and no round trip here.
    // Taken again (its worker stopped, or handed it back): its checkpoint, and whether the run was
    // cancelled meanwhile, in one round trip.
    let checkpoint: Checkpoint | undefined;
    if (job.attemptsStarted > 1) {
      const [[, text], [, isCancelled]] = ((await redis
        .pipeline()
        .hget(jobKey, CHECKPOINT_FIELD)
        .exists(cancelledKey(queue, data.runId))
        .exec()) ?? []) as [[unknown, string | null], [unknown, number]];
      if (text !== null && text !== undefined)
        checkpoint = unpack(JSON.parse(text) as Packed, `${jobId}.checkpoint`, cipher, 'checkpoint') as Checkpoint;
      if (isCancelled === 1) cancelled(data.runId);
    }
    log(`${checkpoint?.startedAt === undefined ? 'took' : `resumed (from ${checkpoint.worker})`} ${jobId}: ${payload.test.name}`);

    const publisher = createPublisher(redis, {
      jobId,
      jobKey,
      data,
      cancelledKey: cancelledKey(queue, data.runId),
      cipher,
      cancelled: () => cancelled(data.runId),
    });
    let subscription: Subscription | undefined;
    const ended = new Promise<string>((resolve, reject) => {
      subscription = runTestJob(payload, checkpoint, {
        plugins: config.plugins,
        http: config.http,
        scheduler: asyncScheduler,
        worker: name,
        interrupt$,
        env: workerEnv,
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
          try {
            await publisher.drain();
            await job.moveToWait(token);
            log(`handed back ${jobId}`);
          } catch (error) {
            // Its lock is gone (Redis away too long): the stalled-job check gives it to a worker.
            log(`could not hand back ${jobId} (${(error as Error).message}): it continues from its checkpoint once its lock expires`);
          } finally {
            reject(new WaitingError());
          }
        },
        // Another worker may hold the job now: this one stops the test and writes nothing more
        // of it (not a checkpoint older than the new holder's). WaitingError: BullMQ leaves the job be.
        abandon: () => {
          subscription?.unsubscribe();
          publisher.abandon();
          log(`lost the lock of ${jobId}: stopped it here; it continues from its checkpoint on the worker that takes it`);
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
    // BullMQ looks every half of it for locks renewed longer than half of it ago.
    lockRenewTime: LOCK_RENEW_MS,
    stalledInterval: STALLED_CHECK_MS,
    maxStalledCount: MAX_RESUMES,
    name,
  });
  worker.on('error', (e) => outage(`worker: ${e.message}`));
  // The job's lock is no longer this worker's (Redis was away longer than the lock lasts).
  worker.on('lockRenewalFailed', (jobIds) => {
    for (const id of jobIds) active.get(id)?.abandon();
  });
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
  /** Drops what is pending and ignores what is pushed from now on. */
  abandon(): void;
}

/** Where a test's batches go, and whom to tell when its run turns out cancelled. */
interface PublisherTarget {
  readonly jobId: string;
  readonly jobKey: string;
  readonly data: JobData;
  readonly cancelledKey: string;
  readonly cipher: PayloadCipher | undefined;
  readonly cancelled: () => void;
}

function createPublisher(redis: Redis, target: PublisherTarget): Publisher {
  const { jobId, jobKey, data, cipher } = target;
  let pending: RunEvent[] = [];
  let firstSeq = 0;
  let checkpoint: Checkpoint | undefined;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let abandoned = false;
  // A flush is due at the end of this turn of the event loop.
  let soon = false;

  const flush = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (abandoned || pending.length === 0 || checkpoint === undefined) return chain;
    const events = pending;
    const seq = firstSeq;
    const saved = checkpoint;
    pending = [];
    chain = chain.then(async () => {
      if (abandoned) return;
      // One round trip: the events, the stream's expiry, the checkpoint (in a field of the job's
      // hash of its own: BullMQ keeps the job's data in another, not written again each time),
      // and whether the run was cancelled (in case this worker did not hear it on the cancel channel).
      const reply = await publishBatch(redis, {
        stream: data.stream,
        retentionMs: data.retentionMs,
        jobKey,
        cancelledKey: target.cancelledKey,
        jobId,
        seq,
        events: writeJson(events as unknown as Json).text,
        checkpointField: CHECKPOINT_FIELD,
        checkpoint: JSON.stringify(pack(saved, `${jobId}.checkpoint`, cipher)),
      });
      if (reply.cancelled) target.cancelled();
    });
    return chain;
  };

  return {
    push: ({ event, checkpoint: next }) => {
      if (abandoned) return;
      if (pending.length === 0) firstSeq = next.seq - 1;
      pending.push(event);
      checkpoint = next;
      // After a step, an attempt or the test's end, the checkpoint goes at the end of this turn of
      // the event loop (an attempt and the step end it causes go together); other events wait a little for company.
      if (event._tag === 'StepEnded' || event._tag === 'AttemptMade' || event._tag === 'TestEnded') {
        if (!soon) {
          soon = true;
          setImmediate(() => {
            soon = false;
            void flush().catch(() => undefined);
          });
        }
      } else timer ??= setTimeout(() => void flush().catch(() => undefined), EVENT_BATCH_MS);
    },
    drain: () => flush(),
    abandon: () => {
      abandoned = true;
      pending = [];
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
