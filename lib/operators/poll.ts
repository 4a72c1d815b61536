import {
  EMPTY,
  Observable,
  asyncScheduler,
  catchError,
  defaultIfEmpty,
  defer,
  expand,
  map,
  of,
  take,
  throwError,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { backoffDelay } from './backoff.js';
import { deadline } from './deadline.js';
import { formatDuration } from './format-duration.js';

/**
 * Options of {@link poll}. Durations are milliseconds on the scheduler's clock.
 *
 * Only `value`s (see {@link AttemptOutcome}) are judged: an attempt that errored or completed
 * empty is "not yet" and the poll goes on. Any callback that throws errors the poll at once with
 * what it threw (use that for a condition that cannot be evaluated, a configuration error).
 */
export interface PollConfig<A> {
  /** The wait in ms after attempt 1, before attempt 2. Must be >= 0. */
  readonly interval: number;
  /**
   * The budget in ms for the whole poll, counted from the first attempt (the subscription).
   * At the deadline the attempt in flight is unsubscribed and the poll errors with
   * {@link PollTimeoutError}; a wait that would end at or after the deadline is not waited (the
   * poll errors at once). Must be finite, >= 0 and at most 2147483647 (about 24.8 days, the
   * longest a Node timer can wait).
   */
  readonly timeout: number;
  /**
   * The most attempts to make, the first included: `5` subscribes the source exactly 5 times at
   * most. After the last attempt there is no wait: the poll errors with
   * {@link PollMaxAttemptsError} at once. An integer >= 1. Default: no limit but `timeout`.
   */
  readonly maxAttempts?: number;
  /**
   * Growth of the wait: the wait after attempt k is `interval * backoffCoefficient^(k-1)`.
   * Must be >= 1. Default 1 (a constant interval).
   */
  readonly backoffCoefficient?: number;
  /** A hard cap in ms on the grown (and jittered) wait. Must be >= 0. Default: no cap. */
  readonly maxInterval?: number;
  /**
   * Random spread of each wait, a fraction 0..1: the wait is drawn uniformly from
   * `[w * (1 - jitter), w * (1 + jitter)]` (then capped by `maxInterval`). Default 0.
   */
  readonly jitter?: number;
  /** Randomness for `jitter`, a number in `[0, 1)`. Default `Math.random`. */
  readonly random?: () => number;
  /** The clock and timers of the poll (waits, deadline, `elapsedMs`). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /**
   * Whether an attempt's value ends the poll successfully (for an HTTP step: all conditions
   * hold). Called once per value, after `failReason`.
   */
  readonly isDone: (value: A) => boolean;
  /**
   * A terminal failure (for an HTTP step: a `fail_conditions` entry holds): return a reason to
   * stop at once and error with {@link PollFailedError}, or `undefined` to go on. Checked before
   * `isDone`, so a value that is both done and failed fails. Default: never.
   */
  readonly failReason?: (value: A) => string | undefined;
  /**
   * A wait the value asks for (for an HTTP step: `Retry-After` on a 429 or 503), in ms. It can
   * lengthen the next wait, never shorten it: when it returns a finite number longer than the
   * poll's own next wait (the backoff, capped and jittered), that number is the next wait; it is
   * neither capped by `maxInterval` nor jittered, but still bounded by the deadline. A shorter ask
   * (`Retry-After: 0`, a date in the past) keeps the poll's own wait, so a server cannot make a
   * poll hammer it. The backoff schedule itself is unchanged: the wait after a later attempt k is
   * still `interval * backoffCoefficient^(k-1)`. Default: never.
   */
  readonly retryAfter?: (value: A) => number | undefined;
}

/** What one attempt (one subscription to the source) came to. */
export type AttemptOutcome<A> =
  /** The source's first value; the attempt is unsubscribed right after it. */
  | { readonly _tag: 'Value'; readonly value: A }
  /** The source errored before any value (for HTTP: a transport failure). "Not yet". */
  | { readonly _tag: 'Error'; readonly error: unknown }
  /** The source completed without a value. "Not yet". */
  | { readonly _tag: 'Empty' };

/** One attempt of a poll, emitted when the attempt ends. Times are ms since the poll started. */
export interface PollAttempt<A> {
  readonly _tag: 'Attempt';
  /** 1-based attempt number. */
  readonly number: number;
  /** The poll's `maxAttempts`, when it has one (for `attempt 3/30`). */
  readonly maxAttempts: number | undefined;
  /** The poll's `timeout` (for `7.2s of 5m`). */
  readonly timeoutMs: number;
  /** When this attempt was sent (the source subscribed). */
  readonly startedMs: number;
  /** When this attempt ended, which is also when this event is emitted. */
  readonly elapsedMs: number;
  readonly outcome: AttemptOutcome<A>;
  /** `isDone` held: this attempt ends the poll successfully. */
  readonly done: boolean;
  /** What `failReason` returned: this attempt ends the poll with a {@link PollFailedError}. */
  readonly failReason: string | undefined;
  /** The wait before the next attempt; `undefined` when this attempt ends the poll. */
  readonly nextDelayMs: number | undefined;
}

/** What {@link poll} emits. A union of one today, so new kinds of event can join it. */
export type PollEvent<A> = PollAttempt<A>;

/** The evidence every poll failure carries. */
export interface PollFailureInfo<A> {
  /** Attempts started (source subscriptions), including one cut off at the deadline. */
  readonly attempts: number;
  /** Time from the first attempt to the failure, in ms. */
  readonly elapsedMs: number;
  /** The last attempt that ended; `undefined` when the first one never did. */
  readonly last: PollAttempt<A> | undefined;
}

export interface PollTimeoutInfo<A> extends PollFailureInfo<A> {
  readonly timeoutMs: number;
  /** An attempt was in flight, and was unsubscribed, when the deadline passed. */
  readonly inFlight: boolean;
  /** The wait that was not waited because it would have ended at or after the deadline. */
  readonly unwaitedDelayMs: number | undefined;
}

/** The poll ran out of time: `polling timed out after 30s`. */
export class PollTimeoutError<A = unknown> extends Error {
  override readonly name = 'PollTimeoutError';
  constructor(readonly info: PollTimeoutInfo<A>) {
    super(`polling timed out after ${formatDuration(info.timeoutMs)}`);
  }
}

export interface PollMaxAttemptsInfo<A> extends PollFailureInfo<A> {
  readonly maxAttempts: number;
}

/** The last allowed attempt was not done: `polling exceeded maximum attempts (5)`. */
export class PollMaxAttemptsError<A = unknown> extends Error {
  override readonly name = 'PollMaxAttemptsError';
  constructor(readonly info: PollMaxAttemptsInfo<A>) {
    super(`polling exceeded maximum attempts (${info.maxAttempts})`);
  }
}

export interface PollFailedInfo<A> extends PollFailureInfo<A> {
  /** What `failReason` returned. */
  readonly reason: string;
}

/** `failReason` returned a reason: `polling failed: <reason>`. */
export class PollFailedError<A = unknown> extends Error {
  override readonly name = 'PollFailedError';
  constructor(readonly info: PollFailedInfo<A>) {
    super(`polling failed: ${info.reason}`);
  }
}

/** A {@link PollConfig} field out of range; emitted on subscription, before any attempt. */
export class PollConfigError extends Error {
  override readonly name = 'PollConfigError';
  constructor(readonly info: { readonly field: string; readonly value: unknown; readonly expected: string }) {
    super(`invalid poll config: ${info.field} must be ${info.expected}, got ${String(info.value)}`);
  }
}

/**
 * Polls: subscribes the source once per attempt until an attempt's value is done, emitting a
 * {@link PollAttempt} for every attempt and completing after the one that is done.
 *
 * The source is one attempt: a cold Observable that does the work each time it is subscribed
 * (`defer(() => request())`). Its first value is the attempt's result (the attempt is then
 * unsubscribed); an error or an empty completion is a failed attempt, "not yet". The rules:
 *
 * 1. Attempt 1 starts at once. The wait before attempt k+1 is
 *    `interval * backoffCoefficient^(k-1)` (capped by `maxInterval`, spread by `jitter`, or
 *    lengthened by a longer `retryAfter`), counted from the end of attempt k.
 * 2. `maxAttempts` counts every attempt: after the last one there is no wait, the poll errors
 *    with {@link PollMaxAttemptsError}.
 * 3. `timeout` is a deadline from the subscription. The attempt in flight at the deadline is
 *    unsubscribed and the poll errors with {@link PollTimeoutError}; a wait that would end at or
 *    after the deadline is not waited, the poll errors at once.
 * 4. `failReason` returning a reason errors the poll at once with {@link PollFailedError}.
 * 5. A callback that throws errors the poll at once with what it threw (no event for that attempt).
 * 6. Each failure error is emitted right after the event of the attempt that decided it.
 * 7. Unsubscribing cancels the attempt in flight, the wait and the deadline.
 *
 * Composed from stock operators: `defer(attempt).pipe(expand(wait then attempt), deadline)`
 * (the wait and the emission of each judged attempt are two small hand-written steps, see
 * `after` and `emitJudged`, because thousands of polls may be waiting at once);
 * judging each attempt as it ends takes the part of `takeWhile(!done, true)` and
 * `take(maxAttempts)`, so the last event can already say there is no next wait.
 *
 * ```ts
 * import { defer } from 'rxjs';
 * import { poll } from 'rocketship-rx';
 *
 * // one attempt = one GET of the job's status (a rejected fetch is a failed attempt: "not yet")
 * const job$ = defer(() => fetch('http://localhost:3000/jobs/42').then((r) => r.json()));
 *
 * job$.pipe(
 *   poll({
 *     interval: 2000, timeout: 300_000, maxAttempts: 30, backoffCoefficient: 1.2,
 *     isDone: (job) => job.status === 'completed',
 *     failReason: (job) => (job.status === 'failed' ? `job failed: ${job.error}` : undefined),
 *   }),
 * ).subscribe({
 *   next: (a) => console.log(`attempt ${a.number}/${a.maxAttempts} at ${a.elapsedMs}ms, next in ${a.nextDelayMs ?? '-'}ms`),
 *   complete: () => console.log('completed'),
 *   error: (e) => console.log(e.message),
 * });
 * // attempt 1/30 at 12ms, next in 2000ms      (each wait counts from the end of the attempt:
 * // attempt 2/30 at 2025ms, next in 2400ms     attempt 2 was sent at 12 + 2000 = 2012)
 * // attempt 3/30 at 4437ms, next in -ms
 * // completed
 * // ...or, had the job failed: `polling failed: job failed: out of disk`; had it never
 * // finished: `polling timed out after 5m0s`, at about 256s after 19 attempts, because the
 * // wait after attempt 19 (53.2s) would end past the deadline and is not waited.
 * ```
 * The winning value is the outcome of the last event: `job$.pipe(poll(config), last())`.
 */
export function poll<A>(config: PollConfig<A>): OperatorFunction<A, PollEvent<A>> {
  return (source) =>
    defer(() => {
      const invalid = validate(config);
      if (invalid !== undefined) return throwError(() => invalid);

      const scheduler = config.scheduler ?? asyncScheduler;
      const startedAt = scheduler.now();
      const elapsed = (): number => scheduler.now() - startedAt;
      // What the deadline reports; this closure is per subscription, so polls never share it.
      let attempts = 0;
      let inFlight = false;
      let last: PollAttempt<A> | undefined;

      const attempt = (number: number): Observable<Judged<A>> =>
        defer(() => {
          attempts = number;
          inFlight = true;
          const startedMs = elapsed();
          return source.pipe(
            take(1),
            map((value): AttemptOutcome<A> => ({ _tag: 'Value', value })),
            catchError((error: unknown) => of<AttemptOutcome<A>>({ _tag: 'Error', error })),
            defaultIfEmpty<AttemptOutcome<A>, AttemptOutcome<A>>({ _tag: 'Empty' }),
            // After catchError, so a callback that throws errors the poll instead of the attempt.
            map((outcome) => {
              inFlight = false;
              const judged = judge(config, { number, startedMs, elapsedMs: elapsed(), outcome });
              last = judged.event;
              return judged;
            }),
          );
        });

      return attempt(1).pipe(
        // The wait runs from the end of the attempt (`elapsedMs`), not from when the attempt's
        // event has been through everything downstream (reporters included): expand emits the
        // event before it subscribes to the wait.
        expand(({ event }) =>
          event.nextDelayMs === undefined
            ? EMPTY
            : after(Math.max(0, event.elapsedMs + event.nextDelayMs - elapsed()), scheduler, () => attempt(event.number + 1)),
        ),
        emitJudged,
        deadline({
          ms: config.timeout,
          scheduler,
          with: () =>
            throwError(
              () =>
                new PollTimeoutError<A>({
                  timeoutMs: config.timeout,
                  attempts,
                  elapsedMs: elapsed(),
                  last,
                  inFlight,
                  unwaitedDelayMs: undefined,
                }),
            ),
        }),
      );
    });
}

/**
 * `timer(ms, scheduler).pipe(concatMap(next))` in one subscription: subscribes `next()` after
 * `ms`. A poll spends most of its life in this wait, and thousands of polls wait at once, so it
 * is kept small (one scheduled action instead of a timer, a concatMap and their subscribers).
 */
function after<T>(ms: number, scheduler: SchedulerLike, next: () => Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    let inner: Subscription | undefined;
    const wait = scheduler.schedule(() => {
      inner = next().subscribe(subscriber);
    }, ms);
    return () => {
      wait.unsubscribe();
      inner?.unsubscribe();
    };
  });
}

/**
 * Emits each judged attempt's event, then errors with its `ending` when it has one: what
 * `concatMap(({ event, ending }) => concat(of(event), throwError(() => ending)))` does, without
 * an inner subscription per attempt.
 */
function emitJudged<A>(source: Observable<Judged<A>>): Observable<PollAttempt<A>> {
  return new Observable<PollAttempt<A>>((subscriber) =>
    source.subscribe({
      next: ({ event, ending }) => {
        subscriber.next(event);
        if (ending !== undefined) subscriber.error(ending);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    }),
  );
}

/** An attempt's event and, when it ends the poll in failure, the error to end with. */
interface Judged<A> {
  readonly event: PollAttempt<A>;
  readonly ending: Error | undefined;
}

/** Decides what an ended attempt means: done, failed, out of attempts or time, or wait how long. */
function judge<A>(
  config: PollConfig<A>,
  at: { number: number; startedMs: number; elapsedMs: number; outcome: AttemptOutcome<A> },
): Judged<A> {
  const { number, elapsedMs, outcome } = at;
  const base = { _tag: 'Attempt' as const, ...at, maxAttempts: config.maxAttempts, timeoutMs: config.timeout };
  const evidence = (event: PollAttempt<A>): PollFailureInfo<A> => ({ attempts: number, elapsedMs, last: event });

  const failReason = outcome._tag === 'Value' ? config.failReason?.(outcome.value) : undefined;
  if (failReason !== undefined) {
    const event: PollAttempt<A> = { ...base, done: false, failReason, nextDelayMs: undefined };
    return { event, ending: new PollFailedError({ ...evidence(event), reason: failReason }) };
  }
  if (outcome._tag === 'Value' && config.isDone(outcome.value)) {
    return { event: { ...base, done: true, failReason: undefined, nextDelayMs: undefined }, ending: undefined };
  }
  const ended: PollAttempt<A> = { ...base, done: false, failReason: undefined, nextDelayMs: undefined };
  if (config.maxAttempts !== undefined && number >= config.maxAttempts) {
    return { event: ended, ending: new PollMaxAttemptsError({ ...evidence(ended), maxAttempts: config.maxAttempts }) };
  }
  const wait = nextWait(config, number, outcome);
  // Waiting until (or past) the deadline would only start an attempt with no time left.
  if (elapsedMs + wait >= config.timeout) {
    return {
      event: ended,
      ending: new PollTimeoutError({
        ...evidence(ended),
        timeoutMs: config.timeout,
        inFlight: false,
        unwaitedDelayMs: wait,
      }),
    };
  }
  return { event: { ...ended, nextDelayMs: wait }, ending: undefined };
}

function nextWait<A>(config: PollConfig<A>, number: number, outcome: AttemptOutcome<A>): number {
  const asked = outcome._tag === 'Value' ? config.retryAfter?.(outcome.value) : undefined;
  const own = backoffDelay(number, {
    interval: config.interval,
    ...(config.backoffCoefficient !== undefined ? { coefficient: config.backoffCoefficient } : {}),
    ...(config.maxInterval !== undefined ? { maxInterval: config.maxInterval } : {}),
    ...(config.jitter !== undefined ? { jitter: config.jitter } : {}),
    ...(config.random !== undefined ? { random: config.random } : {}),
  });
  // An ask lengthens the wait, never shortens it (`Retry-After: 0` must not turn a poll into a flood).
  return asked !== undefined && Number.isFinite(asked) && asked > own ? asked : own;
}

/** The longest delay a Node timer honours; longer ones fire after 1ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function validate<A>(config: PollConfig<A>): PollConfigError | undefined {
  const fail = (field: string, value: unknown, expected: string) => new PollConfigError({ field, value, expected });
  const { interval, timeout, maxAttempts, backoffCoefficient, maxInterval, jitter } = config;
  if (!(Number.isFinite(interval) && interval >= 0)) return fail('interval', interval, 'a finite number >= 0');
  if (!(Number.isFinite(timeout) && timeout >= 0 && timeout <= MAX_TIMER_MS)) {
    return fail('timeout', timeout, `a number from 0 to ${MAX_TIMER_MS}`);
  }
  if (maxAttempts !== undefined && !(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
    return fail('maxAttempts', maxAttempts, 'an integer >= 1');
  }
  if (backoffCoefficient !== undefined && !(Number.isFinite(backoffCoefficient) && backoffCoefficient >= 1)) {
    return fail('backoffCoefficient', backoffCoefficient, 'a finite number >= 1');
  }
  if (maxInterval !== undefined && !(maxInterval >= 0)) return fail('maxInterval', maxInterval, 'a number >= 0');
  if (jitter !== undefined && !(jitter >= 0 && jitter <= 1)) return fail('jitter', jitter, 'a number from 0 to 1');
  return undefined;
}
