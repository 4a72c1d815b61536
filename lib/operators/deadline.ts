import {
  Observable,
  asyncScheduler,
  from,
  throwError,
  type MonoTypeOperatorFunction,
  type ObservableInput,
  type ObservedValueOf,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { formatDuration } from './format-duration.js';

/** Options of {@link deadline}. */
export interface DeadlineConfig<T, O extends ObservableInput<unknown> = ObservableInput<T>> {
  /**
   * The budget in ms for the whole source, counted from subscription. When the source has not
   * completed (or errored) `ms` after it was subscribed, it is unsubscribed. `Infinity` means
   * no deadline. Note that Node timers cannot wait longer than 2147483647 ms (about 24.8 days).
   */
  readonly ms: number;
  /**
   * What to continue with at the deadline: a factory given what the source emitted so far.
   * Default: error with a {@link DeadlineError}.
   */
  readonly with?: (info: DeadlineInfo<T>) => O;
  /** The scheduler that times the deadline. Default: `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** What the source had done when its deadline passed. */
export interface DeadlineInfo<T> {
  /** The budget in ms that ran out. */
  readonly ms: number;
  /** How many values the source emitted before the deadline. */
  readonly seen: number;
  /** The last value the source emitted, or `null` when it emitted none. */
  readonly lastValue: T | null;
}

/** The error {@link deadline} emits when the source outlives its budget and no `with` is given. */
export class DeadlineError<T = unknown> extends Error {
  override readonly name = 'DeadlineError';
  constructor(readonly info: DeadlineInfo<T>) {
    super(`deadline of ${formatDuration(info.ms)} exceeded`);
  }
}

/**
 * An overall time budget for a whole Observable: when the source has not completed `ms` after
 * subscription, it is unsubscribed (cancelling whatever it was doing, such as a request in
 * flight) and the result errors with a {@link DeadlineError}, or switches to `with(info)`.
 *
 * Unlike RxJS's `timeout({ each })`, which restarts its clock on every value, the clock of
 * `deadline` never restarts: values pass through untouched and only completion stops the clock.
 * At exactly `ms` the deadline has passed (a value due at that same moment may lose the race).
 *
 * ```ts
 * // values every 400ms, forever; give the whole thing 1s
 * interval(400).pipe(deadline(1000)).subscribe({ next: console.log, error: (e) => console.log(e.message) });
 * // 0
 * // 1
 * // deadline of 1s exceeded
 *
 * interval(400).pipe(deadline({ ms: 1000, with: () => of('late') })).subscribe(console.log);
 * // 0, 1, late
 * ```
 */
export function deadline<T>(ms: number, scheduler?: SchedulerLike): MonoTypeOperatorFunction<T>;
export function deadline<T, O extends ObservableInput<unknown> = ObservableInput<T>>(
  config: DeadlineConfig<T, O>,
): OperatorFunction<T, T | ObservedValueOf<O>>;
export function deadline<T, O extends ObservableInput<unknown>>(
  msOrConfig: number | DeadlineConfig<T, O>,
  schedulerArg?: SchedulerLike,
): OperatorFunction<T, T | ObservedValueOf<O>> {
  const config: DeadlineConfig<T, O> =
    typeof msOrConfig === 'number' ? { ms: msOrConfig, ...(schedulerArg ? { scheduler: schedulerArg } : {}) } : msOrConfig;
  const { ms, scheduler = asyncScheduler } = config;
  const fallback = config.with ?? ((info: DeadlineInfo<T>) => throwError(() => new DeadlineError(info)));

  return (source) =>
    new Observable<T | ObservedValueOf<O>>((subscriber) => {
      let seen = 0;
      let lastValue: T | null = null;
      const sourceSubscription: Subscription = source.subscribe({
        next: (value) => {
          seen += 1;
          lastValue = value;
          subscriber.next(value);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      // A source that finished synchronously leaves nothing to time.
      if (subscriber.closed || ms === Infinity) return sourceSubscription;

      const timer = scheduler.schedule(
        () => {
          // Cancel the source first, so the work in flight stops before anything else happens.
          sourceSubscription.unsubscribe();
          let next: Observable<ObservedValueOf<O>>;
          try {
            next = from(fallback({ ms, seen, lastValue }) as O) as Observable<ObservedValueOf<O>>;
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.add(next.subscribe(subscriber));
        },
        Math.max(0, ms),
      );

      return () => {
        timer.unsubscribe();
        sourceSubscription.unsubscribe();
      };
    });
}
