import type { OperatorFunction } from 'rxjs';
import { done, notYet } from './judgement.js';
import { poll, type PollConfig, type PollEvent } from './poll.js';

/**
 * Options of {@link pollUntil}: those of `poll` without its judge. `timeout` is optional (no
 * deadline by default), so without `maxAttempts` the poll runs until a value is done.
 */
export type PollUntilConfig = Omit<PollConfig<unknown>, 'judge'>;

/**
 * Polls the source until `isDone` holds for an attempt's value: {@link poll} with a yes/no
 * judge, for your own Rx code. Pass the interval in ms, or a config (`timeout`, `maxAttempts`,
 * backoff... as `poll`'s). Attempts that error or complete empty are "not yet", as in `poll`;
 * an `isDone` that throws errors the poll with what it threw.
 *
 * ```ts
 * import { defer, filter, map } from 'rxjs';
 * import { pollUntil } from 'rocketship-rx';
 *
 * const job$ = defer(() => fetch('http://localhost:3000/jobs/42').then((r) => r.json()));
 *
 * // every second, for as long as it takes
 * job$.pipe(pollUntil((job) => job.status === 'completed', 1000)).subscribe((e) => console.log(e._tag, e.number));
 * // Pending 1
 * // Pending 2
 * // Done 3
 *
 * // every second, growing by half, giving up after a minute; only the winning value
 * job$.pipe(
 *   pollUntil((job) => job.status === 'completed', { interval: 1000, backoffCoefficient: 1.5, timeout: 60_000 }),
 *   filter((e) => e._tag === 'Done'),
 *   map((e) => e.value),
 * ).subscribe({ next: (job) => console.log(job.status), error: (e) => console.log(e.message) });
 * // completed
 * // ...or, had it never completed: `polling timed out after 1m0s`
 * ```
 */
export function pollUntil<A>(isDone: (value: A) => boolean, interval: number): OperatorFunction<A, PollEvent<A>>;
export function pollUntil<A>(isDone: (value: A) => boolean, config: PollUntilConfig): OperatorFunction<A, PollEvent<A>>;
export function pollUntil<A>(isDone: (value: A) => boolean, intervalOrConfig: number | PollUntilConfig): OperatorFunction<A, PollEvent<A>> {
  const config: PollUntilConfig = typeof intervalOrConfig === 'number' ? { interval: intervalOrConfig } : intervalOrConfig;
  return poll<A>({ ...config, judge: (value) => (isDone(value) ? done : notYet()) });
}
