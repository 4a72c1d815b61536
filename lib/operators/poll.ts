import {
  EMPTY,
  Observable,
  asyncScheduler,
  defer,
  expand,
  map,
  subscribeOn,
  take,
  throwError,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import { backoffDelay } from './backoff.js';
import { deadline } from './deadline.js';
import { formatDuration } from './format-duration.js';
import { notYet, type Failed, type Judgement, type NotYet } from './judgement.js';

/**
 * Options of {@link poll}. Durations are milliseconds on the scheduler's clock.
 *
 * Only `value`s (see {@link AttemptOutcome}) are judged: an attempt that errored or completed
 * empty is "not yet" and the poll goes on. A `judge` that throws errors the poll at once with
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
   * longest a Node timer can wait). Default: none (only `maxAttempts` or the judge end the poll).
   */
  readonly timeout?: number | undefined;
  /**
   * The most attempts to make, the first included: `5` subscribes the source exactly 5 times at
   * most. After the last attempt there is no wait: the poll errors with
   * {@link PollMaxAttemptsError} at once. An integer >= 1. Default: no limit but `timeout`.
   */
  readonly maxAttempts?: number | undefined;
  /**
   * Growth of the wait: the wait after attempt k is `interval * backoffCoefficient^(k-1)`.
   * Must be >= 1. Default 1 (a constant interval).
   */
  readonly backoffCoefficient?: number | undefined;
  /** A hard cap in ms on the grown (and jittered) wait. Must be >= 0. Default: no cap. */
  readonly maxInterval?: number | undefined;
  /**
   * Random spread of each wait, a fraction 0..1: the wait is drawn uniformly from
   * `[w * (1 - jitter), w * (1 + jitter)]` (then capped by `maxInterval`). Default 0.
   */
  readonly jitter?: number | undefined;
  /** Randomness for `jitter`, a number in `[0, 1)`. Default `Math.random`. */
  readonly random?: (() => number) | undefined;
  /** The clock and timers of the poll (waits, deadline, `elapsedMs`). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike | undefined;
  /**
   * What an attempt's value means, called once per value as the attempt ends (for an HTTP step:
   * `failed` when a fail condition holds, `done` when every condition does, else `notYet`):
   *
   * - `done`: the poll emits a {@link PollDone} and completes.
   * - `failed(reason)`: the poll emits the attempt, then errors with {@link PollFailedError} at
   *   once, even on the last allowed attempt.
   * - `notYet()`: the poll waits, then makes another attempt. `notYet(ms)` (for HTTP:
   *   `Retry-After` on a 429 or 503) can lengthen the next wait, never shorten it: when `ms` is a
   *   finite number longer than the poll's own next wait (the backoff, capped and jittered), `ms`
   *   is the next wait; it is neither capped by `maxInterval` nor jittered, but still bounded by
   *   the deadline. A shorter ask (`Retry-After: 0`, a date in the past) keeps the poll's own
   *   wait, so a server cannot make a poll hammer it. The backoff schedule itself is unchanged:
   *   the wait after a later attempt k is still `interval * backoffCoefficient^(k-1)`.
   */
  readonly judge: (value: A) => Judgement;
  /**
   * Where a poll that an earlier process started continues (a worker that crashed mid-poll; see
   * {@link PollResume}): attempts are numbered on from `attempts + 1`, the first one is sent after
   * `nextDelayMs`, and `timeout` and `elapsedMs` still count from the first attempt ever sent, so
   * the deadline is where it was. Default: a new poll.
   */
  readonly resume?: PollResume | undefined;
}

/**
 * The state a poll is resumed from: what had been done before this subscription. Attempt numbers,
 * the backoff schedule and the deadline carry on as if the poll had never stopped; only an
 * attempt that was in flight when it stopped is sent again.
 *
 * ```ts
 * // attempt 3 ended 12.4s after attempt 1 was sent, with 2s to wait; the process died and this
 * // one starts 0.5s later: attempt 4 is sent 1.5s from now, and a 30s timeout falls 17.1s from now.
 * source.pipe(poll({ interval: 2000, timeout: 30_000, judge, resume: { attempts: 3, elapsedMs: 12_900, nextDelayMs: 1500 } }));
 * ```
 */
export interface PollResume {
  /** Attempts already made (and ended); the next one is number `attempts + 1`. An integer >= 0. */
  readonly attempts: number;
  /** Time in ms from the first attempt ever sent to now. >= 0. */
  readonly elapsedMs: number;
  /** Wait in ms before the next attempt is sent (what is left of the wait then running). Default 0. */
  readonly nextDelayMs?: number | undefined;
}

/** What one attempt (one subscription to the source) came to. */
export type AttemptOutcome<A> =
  /** The source's first value; the attempt is unsubscribed right after it. */
  | { readonly _tag: 'Value'; readonly value: A }
  /** The source errored before any value (for HTTP: a transport failure). "Not yet". */
  | { readonly _tag: 'Error'; readonly error: unknown }
  /** The source completed without a value. "Not yet". */
  | { readonly _tag: 'Empty' };

/** What every attempt's event says of its place and time. Times are ms since the poll started. */
export interface AttemptTiming {
  /** 1-based attempt number. */
  readonly number: number;
  /** The poll's `maxAttempts`, when it has one (for `attempt 3/30`). */
  readonly maxAttempts: number | undefined;
  /** The poll's `timeout`, when it has one (for `7.2s of 5m`). */
  readonly timeoutMs: number | undefined;
  /** When this attempt was sent (the source subscribed). */
  readonly startedMs: number;
  /** When this attempt ended, which is also when its event is emitted. */
  readonly elapsedMs: number;
}

/**
 * An attempt that did not end the poll successfully: its value was judged not yet (or failed),
 * or it errored, or it completed empty.
 *
 * Usually the poll goes on: `nextDelayMs` is the wait before the next attempt. When this attempt
 * ends the poll in failure, `nextDelayMs` is `undefined` and the poll's error follows right after
 * this event: {@link PollFailedError} when `judgement` is `Failed`, else
 * {@link PollMaxAttemptsError} (it was the last allowed attempt) or {@link PollTimeoutError} (the
 * next wait would end at or after the deadline). Every attempt is an event, so reporters can show
 * each one, the one that decided a failure included.
 */
export interface PollPending<A> extends AttemptTiming {
  readonly _tag: 'Pending';
  readonly outcome: AttemptOutcome<A>;
  /** The judge's word on the value; `notYet()` for an attempt that errored or completed empty. */
  readonly judgement: NotYet | Failed;
  /** The wait before the next attempt; `undefined` when this attempt ends the poll (an error follows). */
  readonly nextDelayMs: number | undefined;
}

/** The attempt whose value was judged done: the poll's last event; it completes right after. */
export interface PollDone<A> extends AttemptTiming {
  readonly _tag: 'Done';
  /** The winning value. */
  readonly value: A;
}

/** What {@link poll} emits: one event per attempt, as the attempt ends. */
export type PollEvent<A> = PollPending<A> | PollDone<A>;

/** The evidence every poll failure carries. */
export interface PollFailureInfo<A> {
  /** Attempts started (source subscriptions), including one cut off at the deadline. */
  readonly attempts: number;
  /** Time from the first attempt to the failure, in ms. */
  readonly elapsedMs: number;
  /** The last attempt that ended; `undefined` when the first one never did. */
  readonly last: PollPending<A> | undefined;
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
  /** The reason of the judge's `failed(reason)`. */
  readonly reason: string;
}

/** The judge said `failed(reason)`: `polling failed: <reason>`. */
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
 * Polls: subscribes the source once per attempt until the judge says an attempt's value is done,
 * emitting an event for every attempt ({@link PollPending}, then a last {@link PollDone}) and
 * completing after the done one.
 *
 * The source is one attempt: a cold Observable that does the work each time it is subscribed
 * (`defer(() => request())`). Its first value is the attempt's result (the attempt is then
 * unsubscribed) and is judged; an error or an empty completion is "not yet". The rules:
 *
 * 1. Attempt 1 starts at once. The wait before attempt k+1 is
 *    `interval * backoffCoefficient^(k-1)` (capped by `maxInterval`, spread by `jitter`, or
 *    lengthened by a longer `notYet(retryAfterMs)`), counted from the end of attempt k.
 * 2. `maxAttempts` counts every attempt: after the last one there is no wait, the poll errors
 *    with {@link PollMaxAttemptsError}.
 * 3. `timeout` is a deadline from the subscription. The attempt in flight at the deadline is
 *    unsubscribed and the poll errors with {@link PollTimeoutError}; a wait that would end at or
 *    after the deadline is not waited, the poll errors at once.
 * 4. `failed(reason)` errors the poll at once with {@link PollFailedError}.
 * 5. A judge that throws errors the poll at once with what it threw (no event for that attempt).
 * 6. Each failure error is emitted right after the event of the attempt that decided it.
 * 7. Unsubscribing cancels the attempt in flight, the wait and the deadline.
 *
 * Composed from stock operators: `defer(attempt).pipe(expand(attempt subscribed after the wait), deadline)`.
 * Where a design with `takeWhile(notDone, true)` and `take(maxAttempts)` would stop the poll after
 * the fact, each attempt is judged as it ends, so its event already says whether there is a next
 * wait, and the error of a failed poll can follow that event (see {@link PollPending}).
 * For a plain predicate and no deadline, see `pollUntil`.
 *
 * ```ts
 * import { defer } from 'rxjs';
 * import { done, failed, notYet, poll } from 'rocketship-rx';
 *
 * // one attempt = one GET of the job's status (a rejected fetch is a failed attempt: "not yet")
 * const job$ = defer(() => fetch('http://localhost:3000/jobs/42').then((r) => r.json()));
 *
 * job$.pipe(
 *   poll({
 *     interval: 2000, timeout: 300_000, maxAttempts: 30, backoffCoefficient: 1.2,
 *     judge: (job) =>
 *       job.status === 'completed' ? done : job.status === 'failed' ? failed(`job failed: ${job.error}`) : notYet(),
 *   }),
 * ).subscribe({
 *   next: (a) => console.log(`${a._tag} ${a.number}/${a.maxAttempts} at ${a.elapsedMs}ms${a._tag === 'Pending' ? `, next in ${a.nextDelayMs}ms` : ''}`),
 *   complete: () => console.log('completed'),
 *   error: (e) => console.log(e.message),
 * });
 * // Pending 1/30 at 12ms, next in 2000ms      (each wait counts from the end of the attempt:
 * // Pending 2/30 at 2025ms, next in 2400ms     attempt 2 was sent at 12 + 2000 = 2012)
 * // Done 3/30 at 4437ms
 * // completed
 * // ...or, had the job failed: `polling failed: job failed: out of disk`; had it never
 * // finished: `polling timed out after 5m0s`, at about 256s after 19 attempts, because the
 * // wait after attempt 19 (53.2s) would end past the deadline and is not waited.
 * ```
 * The winning value is that of the last event: `job$.pipe(poll(config), last())`, a `PollDone`.
 */
export function poll<A>(config: PollConfig<A>): OperatorFunction<A, PollEvent<A>> {
  return (source) =>
    defer(() => {
      const invalid = validate(config);
      if (invalid !== undefined) return throwError(() => invalid);

      const scheduler = config.scheduler ?? asyncScheduler;
      const resume = config.resume;
      // A resumed poll started before this subscription: its times still count from attempt 1.
      const startedAt = scheduler.now() - (resume?.elapsedMs ?? 0);
      const elapsed = (): number => scheduler.now() - startedAt;
      // What the deadline reports; this closure is per subscription, so polls never share it.
      let attempts = resume?.attempts ?? 0;
      let inFlight = false;
      let last: PollPending<A> | undefined;

      /** Attempt `number`: one subscription to the source, judged as it ends. */
      const attempt = (number: number): Observable<Judged<A>> =>
        // `source.pipe(take(1), map(Value), catchError(Error), defaultIfEmpty(Empty), map(judge))`,
        // written out as one subscriber after `take(1)`: those four operators kept a subscriber,
        // its closures and its finalizers for as long as each attempt was in flight.
        new Observable<Judged<A>>((subscriber) => {
          attempts = number;
          inFlight = true;
          const startedMs = elapsed();
          let ended = false;
          const end = (outcome: AttemptOutcome<A>): void => {
            if (ended) return;
            ended = true;
            inFlight = false;
            let judged: Judged<A>;
            try {
              judged = judgeAttempt(config, { number, startedMs, elapsedMs: elapsed(), outcome });
            } catch (error) {
              // A judge that throws errors the poll, not the attempt.
              subscriber.error(error);
              return;
            }
            if (judged.event._tag === 'Pending') last = judged.event;
            subscriber.next(judged);
            subscriber.complete();
          };
          return source.pipe(take(1)).subscribe({
            next: (value) => end({ _tag: 'Value', value }),
            error: (error: unknown) => end({ _tag: 'Error', error }),
            complete: () => end({ _tag: 'Empty' }),
          });
        });

      /** A resumed poll's first attempt: the one after those made, once what was left of the wait has passed. */
      const resumed = (from: PollResume): Observable<Judged<A>> => {
        if (config.maxAttempts !== undefined && from.attempts >= config.maxAttempts) {
          const error = new PollMaxAttemptsError<A>({ attempts, elapsedMs: elapsed(), last: undefined, maxAttempts: config.maxAttempts });
          return throwError(() => error);
        }
        const wait = from.nextDelayMs ?? 0;
        return wait > 0 ? after(wait, attempt(from.attempts + 1)) : attempt(from.attempts + 1);
      };

      /** What follows an attempt: nothing (done), the poll's error, or the wait and the next attempt. */
      const next = ({ event, ending }: Judged<A>): Observable<Judged<A>> => {
        if (ending !== undefined) return throwError(() => ending);
        if (event._tag === 'Done' || event.nextDelayMs === undefined) return EMPTY;
        const dueMs = event.elapsedMs + event.nextDelayMs;
        // The wait runs from the end of the attempt, not from when its event has been through
        // everything downstream (reporters included): what is left of it is measured as it starts.
        return defer(() => after(dueMs - elapsed(), attempt(event.number + 1)));
      };

      /**
       * `next$` subscribed `ms` from now: a waiting poll is one scheduled action. (`timer(ms)`
       * + `concatMap` would keep a timer subscriber and a merge state, a dozen closures, for
       * the whole wait; the subscription happens at the same moment.)
       */
      const after = (ms: number, next$: Observable<Judged<A>>): Observable<Judged<A>> =>
        next$.pipe(subscribeOn(scheduler, Math.max(0, ms)));

      const first$ = resume === undefined ? attempt(1) : resumed(resume);
      const events$ = first$.pipe(
        // expand emits each attempt before it subscribes to what follows it, so an error comes
        // right after the event of the attempt that decided it.
        expand(next),
        map((judged) => judged.event),
      );
      const { timeout } = config;
      if (timeout === undefined) return events$;
      return events$.pipe(
        deadline({
          // What is left of the budget: a resumed poll keeps its first deadline.
          ms: Math.max(0, timeout - (resume?.elapsedMs ?? 0)),
          scheduler,
          with: () =>
            throwError(
              () =>
                new PollTimeoutError<A>({ timeoutMs: timeout, attempts, elapsedMs: elapsed(), last, inFlight, unwaitedDelayMs: undefined }),
            ),
        }),
      );
    });
}

/** An attempt's event and, when it ends the poll in failure, the error to end with. */
interface Judged<A> {
  readonly event: PollEvent<A>;
  readonly ending: Error | undefined;
}

/** Decides what an ended attempt means: done, failed, out of attempts or time, or wait how long. */
function judgeAttempt<A>(
  config: PollConfig<A>,
  at: { number: number; startedMs: number; elapsedMs: number; outcome: AttemptOutcome<A> },
): Judged<A> {
  const { number, startedMs, elapsedMs, outcome } = at;
  const timing: AttemptTiming = { number, maxAttempts: config.maxAttempts, timeoutMs: config.timeout, startedMs, elapsedMs };
  if (outcome._tag !== 'Value') return notDone(config, timing, outcome, notYet());
  const judgement = config.judge(outcome.value);
  if (judgement._tag === 'Done') return { event: { _tag: 'Done', ...timing, value: outcome.value }, ending: undefined };
  return notDone(config, timing, outcome, judgement);
}

/** An attempt that is not done: failed, the last allowed one, out of time, or followed by a wait. */
function notDone<A>(config: PollConfig<A>, timing: AttemptTiming, outcome: AttemptOutcome<A>, judgement: NotYet | Failed): Judged<A> {
  const { number, elapsedMs } = timing;
  const ended: PollPending<A> = { _tag: 'Pending', ...timing, outcome, judgement, nextDelayMs: undefined };
  const evidence = (): PollFailureInfo<A> => ({ attempts: number, elapsedMs, last: ended });
  if (judgement._tag === 'Failed') {
    return { event: ended, ending: new PollFailedError({ ...evidence(), reason: judgement.reason }) };
  }
  if (config.maxAttempts !== undefined && number >= config.maxAttempts) {
    return { event: ended, ending: new PollMaxAttemptsError({ ...evidence(), maxAttempts: config.maxAttempts }) };
  }
  const wait = nextWait(config, number, judgement.retryAfterMs);
  // Waiting until (or past) the deadline would only start an attempt with no time left.
  if (config.timeout !== undefined && elapsedMs + wait >= config.timeout) {
    return {
      event: ended,
      ending: new PollTimeoutError({ ...evidence(), timeoutMs: config.timeout, inFlight: false, unwaitedDelayMs: wait }),
    };
  }
  return { event: { ...ended, nextDelayMs: wait }, ending: undefined };
}

function nextWait<A>(config: PollConfig<A>, number: number, asked: number | undefined): number {
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
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout >= 0 && timeout <= MAX_TIMER_MS)) {
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
  const { resume } = config;
  if (resume !== undefined) {
    if (!(Number.isInteger(resume.attempts) && resume.attempts >= 0)) return fail('resume.attempts', resume.attempts, 'an integer >= 0');
    if (!(Number.isFinite(resume.elapsedMs) && resume.elapsedMs >= 0))
      return fail('resume.elapsedMs', resume.elapsedMs, 'a finite number >= 0');
    const wait = resume.nextDelayMs;
    if (wait !== undefined && !(Number.isFinite(wait) && wait >= 0)) return fail('resume.nextDelayMs', wait, 'a finite number >= 0');
  }
  return undefined;
}
