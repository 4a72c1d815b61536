/**
 * The design card's poll and test, with nothing of ours, shared by the card's sides of the memory
 * and fan-out workloads (bench/floor/memory.mjs `card`, bench/floor/card-fanout.mjs): each poll is
 * `defer(request).pipe(expand(wait, then request), takeWhile(!done), timeout, take(max))`, each
 * test the `mergeScan(fn, seed, 1)` of its one step, the tests a `mergeMap` at concurrency N. No
 * events, checks, reports, interrupt or retry.
 */
import { concatMap, expand, from, last, map, mergeMap, mergeScan, take, takeWhile, timeout, timer } from 'rxjs';

/**
 * The card's poll: `attempt()` (an Observable of one boolean, "done", for one request; a failed
 * request counts as "not yet" inside it) until it says done, `intervalMs` after each attempt, at
 * most `maxAttempts` attempts, the first within `timeoutMs`.
 */
export function cardPoll(attempt, { intervalMs, maxAttempts, timeoutMs }) {
  return attempt().pipe(
    expand((isDone) => (isDone ? [] : timer(intervalMs).pipe(concatMap(attempt)))),
    takeWhile((isDone) => !isDone, true),
    timeout({ first: timeoutMs }),
    take(maxAttempts),
  );
}

/**
 * `count` tests, test `i` one step that is `pollOf(i)`, run all at once as the card composes
 * tests and steps. Emits each test's final variables, `{ isDone }`: whether its poll ended done.
 */
export function cardTests(count, pollOf) {
  const runTest = (i) =>
    from([i]).pipe(
      mergeScan(
        (vars, step) =>
          pollOf(step).pipe(
            last(),
            map((isDone) => ({ ...vars, isDone })),
          ),
        {},
        1,
      ),
    );
  return from(Array.from({ length: count }, (_, i) => i)).pipe(mergeMap(runTest, count));
}
