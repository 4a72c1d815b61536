import { randomBytes } from 'node:crypto';
import {
  concat,
  concatMap,
  defer,
  filter,
  finalize,
  from,
  ignoreElements,
  map,
  merge,
  mergeMap,
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
import type { LoadedSuite } from '../dsl/index.js';
import type { RunEvent } from '../event/run-event.js';
import type { SequenceState } from '../run/run-sequence.js';
import type { TestExecutor, TestJob } from '../run/test-executor.js';
import type { JobData } from './job-data.js';
import { createPayloadCipher, pack, QUEUE_KEY_VARIABLE, QueueKeyError, type PayloadCipher } from './payload-cipher.js';
import {
  BULL_PREFIX,
  cancelChannel,
  cancelledKey,
  coordinatorKey,
  DEFAULT_QUEUE,
  DEFAULT_RETENTION_MS,
  eventStreamKey,
  runRecordKey,
} from './queue-keys.js';
import { LEASE_MS, takeLease, type CoordinatorLease } from './coordinator-lease.js';
import { AttachError, runRecordStore, type RecordedInit, type RecordedSuite, type RunRecordStore } from './run-record.js';
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
  /**
   * Attach to the run `runId` (given then) instead of starting one: its coordinator stopped
   * (killed, a lost machine) and this one takes over (`run --attach RUN_ID`). See `start`.
   */
  readonly attach?: boolean | undefined;
  /** Where the executor says what it does (reconnections). */
  readonly log?: ((line: string) => void) | undefined;
}

/** A {@link TestExecutor} that runs each test on a queue worker; see {@link queueExecutor}. */
export interface QueueExecutor extends TestExecutor {
  /** Records init's outcome (a run whose suites were named by `start`), or replays it (attached). */
  readonly suiteInit: NonNullable<TestExecutor['suiteInit']>;
  /** The run's id: its jobs and its event stream are named by it. */
  readonly runId: string;
  /** Resolves when Redis answers; rejects with a `RedisUnreachableError` (URL masked) when it does not. */
  ready(): Promise<void>;
  /**
   * Names the run's suites, in a fixed order, before the run starts (optional: without it, job
   * ids follow the order tests are handed over, and the run cannot be attached to). A test's job
   * id is then `RUN_ID-S-T`: its suite's position here and its index in the file's `tests`, so a
   * coordinator attached later knows every job of the run. A new run records its suites in
   * Redis (`RunRecordStore`); an attached one (`attach`) checks them against the record, and
   * rejects with an {@link AttachError} when the run is unknown or expired, ended, its suites
   * differ (file, content, vars, tests chosen: see `suiteFingerprint`), a suite's init was cut
   * short, or the record cannot be opened with this key.
   */
  start(suites: readonly { readonly loaded: LoadedSuite; readonly fingerprint: string }[]): Promise<void>;
  /** Marks a started run as ended in Redis (after its reports are written): it can no longer be attached to. */
  finish(): Promise<void>;
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
 *
 * A run whose suites were named with `start` can outlive its coordinator: the workers finish
 * its tests, and `queueExecutor({ ..., runId, attach: true })` takes it over: `start` checks
 * the suites against the run's record; suite init is not run again but replayed from the
 * record (`suiteInit`: its events, saves and failure as the first coordinator recorded them);
 * each test is "enqueued" again under its fixed job id, which BullMQ ignores for a job that
 * exists (waiting, running, or ended and kept for `retentionMs`), so only tests the stopped
 * coordinator had held back (`concurrency`) are added; and each test's events are read from the
 * start of the run's stream, so the attached run emits the whole run.
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
  const attach = config.attach ?? false;
  if (attach && config.runId === undefined) throw new AttachError({ runId: '', reason: 'attaching needs the run id' });

  // Opened on first use, so that creating an executor costs nothing.
  let conn:
    { redis: Redis; reader: Redis; queue: Queue<JobData>; events: QueueEvents; outage: OutageLog; shared: readonly Redis[] } | undefined;
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
    conn = { redis, reader, queue, events, outage, shared: [queueConnection, eventsConnection] };
    return conn;
  };

  const jobFailed$ = new Subject<{ jobId: string; reason: string }>();
  // Jobs removed from the queue before a worker took them (the run was cancelled).
  const removed$ = new Subject<string>();
  // The run's record (see `start`); undefined until its suites are named.
  let record: RunRecordStore | undefined;
  // This coordinator's hold on the run (see `start`): one coordinator per run at a time.
  let lease: CoordinatorLease | undefined;
  // Each suite's position, named by `start`: its tests' job ids carry it.
  const positions = new Map<LoadedSuite, number>();
  const recordTouchMs = Math.min(60_000, Math.max(1000, retentionMs / 4));
  let recordTouchedAt = Date.now();
  // Where the stream was read up to: a later reader goes on from there.
  let lastId = '0-0';
  // Batches of tests not listened for yet (an attached run reads the stream from its start, and
  // a test held back by `concurrency` listens later): kept until the test listens.
  const backlog = new Map<string, StreamBatch[]>();
  const listened = new Set<string>();
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
              const entry = { job: field('job'), seq: Number(field('seq')), events: JSON.parse(field('events')) as RunEvent[] };
              if (!listened.has(entry.job)) backlog.set(entry.job, [...(backlog.get(entry.job) ?? []), entry]);
              subscriber.next(entry);
            }
          }
          // The run goes on: its record must outlive it by the retention (an attach may need it).
          if (record !== undefined && Date.now() - recordTouchedAt > recordTouchMs) {
            recordTouchedAt = Date.now();
            void record.touch().catch(() => undefined);
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
      const position = positions.get(job.loaded);
      const jobId = position === undefined ? `${runId}-${counter++}` : `${runId}-${position}-${job.testIndex}`;
      const data: JobData = { v: 1, runId, stream, retentionMs, payload: pack(payload, jobId, cipher) };
      let next = 0;
      let ended = false;
      waiting.add(jobId);
      // The test's batches read before it listened, then the live ones.
      const early = backlog.get(jobId) ?? [];
      backlog.delete(jobId);
      listened.add(jobId);
      const events$ = concat(from(early), entriesOf(jobId)).pipe(
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
      const enqueued$ = defer(async () => {
        await enqueue({ name: job.test.name, data, opts: { jobId } });
        // Attached: a job that failed on the queue before (its 'failed' was published to nobody)
        // ends its test now, as it would have then.
        if (!attach) return;
        const existing = await connections().queue.getJob(jobId);
        if (existing !== undefined && (await existing.isFailed())) jobFailed$.next({ jobId, reason: existing.failedReason });
      }).pipe(ignoreElements());
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

  const start = async (suites: readonly { readonly loaded: LoadedSuite; readonly fingerprint: string }[]): Promise<void> => {
    const store = runRecordStore(connections().redis, runRecordKey(queueName, runId), { runId, retentionMs, cipher });
    const given: RecordedSuite[] = suites.map(({ loaded, fingerprint }) => ({ file: loaded.file, fingerprint }));
    if (attach) {
      await checkAttach(store, runId, given, { queue: queueName, url: masked });
      await checkStreamWhole(connections().redis, stream, runId);
    }
    // A killed coordinator's lease expires within LEASE_MS: an attach waits that long for it.
    const taken = await takeLease(connections().redis, coordinatorKey(queueName, runId), {
      waitMs: attach ? LEASE_MS + 1000 : 0,
      onLost: (holder) =>
        log(`lost the run's coordinator lease${holder === undefined ? '' : ` to ${holder}`}: another coordinator attached to run ${runId}`),
    });
    if (taken._tag === 'Held')
      throw new AttachError({
        runId,
        reason: `cannot ${attach ? 'attach to' : 'start'} run ${runId}: its coordinator ${taken.holder} is still running (it renewed the run's lease over the last ${Math.round(taken.waitedMs / 1000)}s); attach once it has stopped`,
      });
    lease = taken.lease;
    if (!attach) await store.create(given);
    suites.forEach(({ loaded }, i) => positions.set(loaded, i));
    record = store;
  };

  // Init as it runs here, recorded: `started` first, its outcome before any test is enqueued.
  const recordInit = (store: RunRecordStore, position: number, init$: Observable<SequenceState>): Observable<SequenceState> => {
    const states: SequenceState[] = [];
    return concat(
      defer(() => store.initStarted(position)).pipe(ignoreElements()),
      init$.pipe(tap((state) => states.push(state))),
      defer(() => store.initEnded(position, recordedInit(states))).pipe(ignoreElements()),
    );
  };

  const suiteInit = (loaded: LoadedSuite, init$: Observable<SequenceState>): Observable<SequenceState> =>
    defer(() => {
      const position = positions.get(loaded);
      const store = record;
      if (position === undefined || store === undefined) return init$;
      if (!attach) return recordInit(store, position, init$);
      return from(store.init(position)).pipe(
        mergeMap((init) => (init._tag === 'Ended' ? from(replayedInit(init)) : recordInit(store, position, init$))),
      );
    });

  return {
    runId,
    runTest,
    suiteInit,
    start,
    finish: async () => {
      await record?.ended();
    },
    ready: () => checkRedis(config.redis),
    cancel,
    close: async () => {
      if (conn === undefined) return;
      const { redis, reader, queue, events, shared } = conn;
      conn = undefined;
      reader.disconnect();
      // Given back, so that the run (when it did not end) can be attached to at once.
      const held = lease;
      lease = undefined;
      // Redis may be gone (the run ended because it was): a graceful close waits for it at most a
      // little, then the connections are dropped, and stop reconnecting.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([events.close(), queue.close(), (held?.release() ?? Promise.resolve()).finally(() => redis.quit())]),
        new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS))),
      ]);
      clearTimeout(timer);
      redis.disconnect();
      await Promise.allSettled([queue.disconnect(), events.disconnect()]);
      // BullMQ leaves connections it was given open (they may be shared): they would keep the
      // process alive.
      for (const client of shared) client.disconnect();
    },
  };
}

/** What init came to, from its states (the last one holds its saves and first failure). */
function recordedInit(states: readonly SequenceState[]): RecordedInit {
  const last = states[states.length - 1];
  return {
    events: states.flatMap((s) => (s.event === undefined ? [] : [s.event])),
    saved: last?.saved ?? {},
    failure: last?.failure,
  };
}

/** The states of a recorded init, as `runSequence` emitted them (each with the final saves: only the last one's are read). */
function replayedInit(init: RecordedInit): SequenceState[] {
  if (init.events.length === 0) return [{ saved: init.saved, failure: init.failure, event: undefined }];
  return init.events.map((event) => ({ saved: init.saved, failure: init.failure, event }));
}

/**
 * Whether the run's stream still holds every batch written to it: one trimmed (more than
 * `MAX_STREAM_ENTRIES` batches) cannot be replayed, and the tests whose events are gone would
 * never end: an {@link AttachError}. Redis before 7.0 does not say (no `entries-added`): not checked.
 */
async function checkStreamWhole(redis: Redis, stream: string, runId: string): Promise<void> {
  let info: unknown[];
  try {
    info = (await redis.xinfo('STREAM', stream)) as unknown[];
  } catch {
    return; // no stream yet: no test has sent an event
  }
  const field = (name: string) => info[info.indexOf(name) + 1];
  const added = Number(field('entries-added'));
  const length = Number(field('length'));
  if (Number.isFinite(added) && Number.isFinite(length) && added > length)
    throw new AttachError({
      runId,
      reason: `cannot attach to run ${runId}: its event stream was trimmed (${added} batches written, ${length} kept): the events of its first tests are gone and cannot be replayed`,
    });
}

/** Whether the run can be attached to with these suites: an {@link AttachError} saying why not. */
async function checkAttach(
  store: RunRecordStore,
  runId: string,
  given: readonly RecordedSuite[],
  where: { readonly queue: string; readonly url: string },
): Promise<void> {
  const refuse = (reason: string) => new AttachError({ runId, reason: `cannot attach to run ${runId}: ${reason}` });
  const opened = async <T>(read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      if (error instanceof QueueKeyError)
        throw refuse(`its record is encrypted; give ${QUEUE_KEY_VARIABLE} the run was given (${error.message})`);
      throw error;
    }
  };
  const recorded = await opened(() => store.suites());
  if (recorded === undefined)
    throw refuse(
      `no such run on queue ${where.queue} at ${where.url} (never started there with this version, or its record expired: --retention, default 24h)`,
    );
  const endedAt = await store.endedAt();
  if (endedAt !== undefined) throw refuse(`it ended at ${new Date(endedAt).toISOString()}; its coordinator wrote its reports`);
  const files = (list: readonly RecordedSuite[]) => list.map((s) => s.file).join(', ');
  if (recorded.length !== given.length || recorded.some((s, i) => s.file !== given[i]?.file))
    throw refuse(
      `the run's suites are ${files(recorded) || '(none)'}; this command line gives ${files(given) || '(none)'}. Attach with the suite arguments (FILE, -f, -d) the run was started with, from the same directory`,
    );
  const changed = recorded.filter((s, i) => s.fingerprint !== given[i]?.fingerprint);
  if (changed.length > 0)
    throw refuse(
      `${files(changed)} differ${changed.length === 1 ? 's' : ''} from the run's: the suite's content, the --var/--var-file values or the tests chosen (--test, --grep) are not those the run was started with`,
    );
  for (let position = 0; position < recorded.length; position += 1) {
    const init = await opened(() => store.init(position));
    if (init._tag === 'Started')
      throw refuse(
        `its coordinator stopped during the suite init of ${recorded[position]?.file}: that suite's tests were never enqueued, and init is not run twice; run the suites again without --attach`,
      );
  }
}
