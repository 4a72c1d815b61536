import { randomBytes } from 'node:crypto';
import {
  concatMap,
  defer,
  filter,
  finalize,
  from,
  ignoreElements,
  map,
  merge,
  Observable,
  share,
  Subject,
  type Subscriber,
  take,
  takeWhile,
  tap,
} from 'rxjs';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunEvent } from '../event/run-event.js';
import type { TestExecutor, TestJob } from '../run/test-executor.js';
import type { JobData } from './job-data.js';
import { createPayloadCipher, pack, QUEUE_KEY_VARIABLE, QueueKeyError, type PayloadCipher } from './payload-cipher.js';
import { BULL_PREFIX, cancelChannel, cancelledKey, DEFAULT_QUEUE, DEFAULT_RETENTION_MS, eventStreamKey } from './queue-keys.js';
import { checkRedis, maskRedisUrl, openRedis, outageLog, watchConnection, type OutageLog } from './redis-url.js';
import { testPayload, whySecret } from './test-payload.js';

/** Options of {@link queueExecutor}. */
export interface QueueExecutorConfig {
  /** The Redis URL (`redis://`, `rediss://` for TLS; user and password in it). */
  readonly redis: string;
  /** The queue the workers take tests from. Default `rocketship`. */
  readonly queue?: string | undefined;
  /** The key payloads are encrypted with (`ROCKETSHIP_QUEUE_KEY`); a run with secrets needs one. */
  readonly key?: string | undefined;
  /** How long the run's events and jobs stay in Redis after their last change, in ms. Default 24 h. */
  readonly retentionMs?: number | undefined;
  /** How long Redis may be unreachable mid-run before the run ends with an error, in ms. Default 60 s. */
  readonly redisTimeoutMs?: number | undefined;
  /** The run's id. Default: a new random one. */
  readonly runId?: string | undefined;
  /** Where the executor says what it does (reconnections). */
  readonly log?: ((line: string) => void) | undefined;
}

/** A {@link TestExecutor} that runs each test on a queue worker; see {@link queueExecutor}. */
export interface QueueExecutor extends TestExecutor {
  /** The run's id: its jobs and its event stream are named by it. */
  readonly runId: string;
  /** Resolves when Redis answers; rejects with a `RedisUnreachableError` (URL masked) when it does not. */
  ready(): Promise<void>;
  /** Cancels the run everywhere: tests still queued are removed, running ones interrupted. */
  cancel(): Promise<void>;
  /** Closes its connections; call once the run's Observable has completed. */
  close(): Promise<void>;
}

/** A batch of a test's events, as read from the run's stream. */
interface StreamBatch {
  readonly job: string;
  readonly seq: number;
  readonly events: RunEvent[];
}

/**
 * How long the coordinator waits after reading entries of the run's stream before it reads again:
 * events reach the console this much later at most; a run of 2,000 tests made about one read per
 * two entries without it.
 */
const READ_PAUSE_MS = 50;

/** How long closing waits for Redis to take its connections' QUIT, in ms, before it drops them. */
const CLOSE_GRACE_MS = 2000;

/** Redis stayed out of reach for longer than the run allows (`--redis-timeout`). */
export class RedisLostError extends Error {
  override readonly name = 'RedisLostError';
  constructor(readonly info: { readonly url: string; readonly afterMs: number }) {
    super(`lost Redis at ${info.url} for more than ${Math.round(info.afterMs / 1000)}s`);
  }
}

/**
 * Runs tests on queue workers (`rocketship worker`, `startWorker`) through BullMQ on Redis:
 * `runSuite(suite, { ..., executor: queueExecutor({ redis: 'redis://127.0.0.1:6379' }) })`
 * emits the same events as a local run. Each test becomes one job carrying what a worker needs
 * (see `TestPayload`: sealed with `key` when the run has secrets, and refused without one);
 * the workers' events (masked, in batches) come back through one Redis stream per run, read
 * here, in order per test. Interrupting the run (`interrupt$`) cancels it everywhere: queued
 * tests are removed (reported skipped, as a local run reports tests not started), running ones
 * end `Interrupted` on their workers after their cleanup.
 */
export function queueExecutor(config: QueueExecutorConfig): QueueExecutor {
  const queueName = config.queue ?? DEFAULT_QUEUE;
  const runId = config.runId ?? randomBytes(6).toString('hex');
  const retentionMs = config.retentionMs ?? DEFAULT_RETENTION_MS;
  const redisTimeoutMs = config.redisTimeoutMs ?? 60_000;
  const stream = eventStreamKey(queueName, runId);
  const masked = maskRedisUrl(config.redis);
  const log = config.log ?? (() => undefined);
  const cipher: PayloadCipher | undefined = config.key === undefined ? undefined : createPayloadCipher(config.key);

  // Opened on first use, so that creating an executor costs nothing.
  let conn: { redis: Redis; reader: Redis; queue: Queue<JobData>; events: QueueEvents; outage: OutageLog } | undefined;
  const connections = () => {
    if (conn !== undefined) return conn;
    const redis = openRedis(config.redis);
    const reader = openRedis(config.redis);
    const queueConnection = openRedis(config.redis);
    const eventsConnection = openRedis(config.redis);
    const queue = new Queue<JobData>(queueName, { connection: queueConnection, prefix: BULL_PREFIX });
    const events = new QueueEvents(queueName, { connection: eventsConnection, prefix: BULL_PREFIX });
    const outage = outageLog(log);
    for (const client of [redis, reader, queueConnection, eventsConnection]) watchConnection(client, outage);
    queue.on('error', (e: Error) => outage(`redis: ${e.message}`));
    events.on('error', (e: Error) => outage(`redis: ${e.message}`));

    events.on('failed', ({ jobId, failedReason }) => jobFailed$.next({ jobId, reason: failedReason }));
    conn = { redis, reader, queue, events, outage };
    return conn;
  };

  const jobFailed$ = new Subject<{ jobId: string; reason: string }>();
  // Jobs removed from the queue before a worker took them (the run was cancelled).
  const removed$ = new Subject<string>();
  // Where the stream was read up to: a later reader goes on from there.
  let lastId = '0-0';
  // Every event batch read from the stream, for whichever test it belongs to.
  const entries$ = new Observable<StreamBatch>((subscriber) => {
    const { reader, outage } = connections();
    let stopped = false;
    let lostSince: number | undefined;
    const loop = async () => {
      while (!stopped) {
        try {
          const reply = (await reader.xread('COUNT', 1000, 'BLOCK', 1000, 'STREAMS', stream, lastId)) as
            [string, [string, string[]][]][] | null;
          lostSince = undefined;
          for (const [, items] of reply ?? []) {
            for (const [id, fields] of items) {
              lastId = id;
              const field = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
              subscriber.next({ job: field('job'), seq: Number(field('seq')), events: JSON.parse(field('events')) as RunEvent[] });
            }
          }
          // A busy stream answers each read at once with the entry or two that came meanwhile:
          // after entries, a pause lets the next read take a batch (fewer reads, a little later).
          if (reply !== null) await new Promise((r) => setTimeout(r, READ_PAUSE_MS));
        } catch (error) {
          if (stopped) return;
          lostSince ??= Date.now();
          if (Date.now() - lostSince > redisTimeoutMs) {
            subscriber.error(new RedisLostError({ url: masked, afterMs: redisTimeoutMs }));
            return;
          }
          outage(`redis: ${error instanceof Error ? error.message : String(error)}`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    };
    // While Redis is away, ioredis holds the XREAD until it reconnects: watch the connection too.
    const watchdog = setInterval(() => {
      if (reader.status === 'ready') return (lostSince = undefined);
      lostSince ??= Date.now();
      if (Date.now() - lostSince > redisTimeoutMs) {
        stopped = true;
        subscriber.error(new RedisLostError({ url: masked, afterMs: redisTimeoutMs }));
      }
    }, 250);
    void loop();
    return () => {
      stopped = true;
      clearInterval(watchdog);
    };
  }).pipe(share());
  // Each test's batches, handed over by a lookup of its job: one per batch, where a filter per
  // test made 2,000 tests in flight cost 2,000 calls per batch.
  const byJob = new Map<string, Subscriber<StreamBatch>>();
  const routed$ = entries$.pipe(
    tap((entry) => byJob.get(entry.job)?.next(entry)),
    ignoreElements(),
    share(),
  );
  const entriesOf = (jobId: string): Observable<StreamBatch> =>
    new Observable<StreamBatch>((subscriber) => {
      byJob.set(jobId, subscriber);
      const routing = routed$.subscribe({ error: (e: unknown) => subscriber.error(e), complete: () => subscriber.complete() });
      return () => {
        byJob.delete(jobId);
        routing.unsubscribe();
      };
    });

  // Jobs to add, gathered over one turn of the event loop and added in one round trip.
  let toAdd: { name: string; data: JobData; opts: { jobId: string } }[] = [];
  let adding: Promise<void> | undefined;
  const enqueue = (job: { name: string; data: JobData; opts: { jobId: string } }): Promise<void> => {
    toAdd.push(job);
    adding ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      const batch = toAdd;
      toAdd = [];
      adding = undefined;
      const keepSec = Math.ceil(retentionMs / 1000);
      await connections().queue.addBulk(
        batch.map((j) => ({ ...j, opts: { ...j.opts, removeOnComplete: { age: keepSec }, removeOnFail: { age: keepSec } } })),
      );
    });
    return adding;
  };

  let counter = 0;
  let cancelled: Promise<void> | undefined;
  const cancel = (): Promise<void> => {
    cancelled ??= (async () => {
      const { redis, queue } = connections();
      await redis.set(cancelledKey(queueName, runId), '1', 'PX', retentionMs);
      await redis.publish(cancelChannel(queueName), runId);
      await Promise.allSettled(
        [...waiting].map(async (id) => {
          const job = await queue.getJob(id);
          // A job a worker holds is not removed (its lock): the worker interrupts it instead.
          if (job !== undefined && (await job.isWaiting())) {
            await job.remove();
            removed$.next(id);
          }
        }),
      );
    })();
    return cancelled;
  };
  // Jobs added and not yet taken by a worker (their first event not yet seen).
  const waiting = new Set<string>();

  const runTest = (job: TestJob): Observable<RunEvent> =>
    defer(() => {
      const payload = testPayload(job);
      const why = whySecret(payload);
      if (why !== undefined && cipher === undefined) {
        throw new QueueKeyError({
          reason: `the test "${job.test.name}" of ${job.loaded.file} is not sent to the queue without ${QUEUE_KEY_VARIABLE}: ${why}, and nothing secret rests in Redis in clear text`,
        });
      }
      const jobId = `${runId}-${counter++}`;
      const data: JobData = { v: 1, runId, stream, retentionMs, payload: pack(payload, jobId, cipher) };
      let next = 0;
      let ended = false;
      waiting.add(jobId);
      const events$ = entriesOf(jobId).pipe(
        // Events are numbered per test: a batch sent again (a worker stopped between sending it and
        // checkpointing) repeats numbers already seen, which are dropped.
        concatMap((entry) => {
          const fresh = entry.events.slice(Math.max(0, next - entry.seq));
          next = Math.max(next, entry.seq + entry.events.length);
          if (fresh.length > 0) waiting.delete(jobId);
          return from(fresh);
        }),
      );
      const testRef = { suite: job.placement.suite, file: job.placement.file, test: job.test.name, testIndex: job.testIndex };
      // A job that failed on the queue (a worker error, too many stalls) ends its test here.
      const lost = (reason: string): RunEvent => ({
        _tag: 'TestEnded',
        ref: testRef,
        result: { _tag: 'Interrupted', durationMs: 0, reason: `the queue gave up on the test: ${reason}` },
        at: job.env.scheduler.now(),
      });
      const failed$ = jobFailed$.pipe(
        filter((f) => f.jobId === jobId),
        take(1),
        map((f) => lost(f.reason)),
      );
      const skipped$ = removed$.pipe(
        filter((id) => id === jobId),
        take(1),
        map((): RunEvent => ({
          _tag: 'TestEnded',
          ref: testRef,
          result: { _tag: 'Skipped', reason: 'not run: the run was interrupted' },
          at: job.env.scheduler.now(),
        })),
      );
      const enqueued$ = defer(() => enqueue({ name: job.test.name, data, opts: { jobId } })).pipe(ignoreElements());
      const cancelOnInterrupt$ = job.env.interrupt$.pipe(
        take(1),
        tap(() => void cancel().catch(() => undefined)),
        ignoreElements(),
      );
      // Listening first, then enqueueing: no event of the test can come before it is listened for.
      return merge(events$, failed$, skipped$, cancelOnInterrupt$, enqueued$).pipe(
        takeWhile((e) => e._tag !== 'TestEnded', true),
        tap((e) => {
          if (e._tag === 'TestEnded') ended = true;
        }),
        finalize(() => {
          // Unsubscribed before the end (a hard stop): the run is cancelled everywhere.
          if (!ended) void cancel().catch(() => undefined);
        }),
      );
    });

  return {
    runId,
    runTest,
    ready: () => checkRedis(config.redis),
    cancel,
    close: async () => {
      if (conn === undefined) return;
      const { redis, reader, queue, events } = conn;
      conn = undefined;
      reader.disconnect();
      // Redis may be gone (the run ended because it was): a graceful close waits for it at most a
      // little, then the connections are dropped, and stop reconnecting.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([events.close(), queue.close(), redis.quit()]),
        new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS))),
      ]);
      clearTimeout(timer);
      redis.disconnect();
      await Promise.allSettled([queue.disconnect(), events.disconnect()]);
    },
  };
}
