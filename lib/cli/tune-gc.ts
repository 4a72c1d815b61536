import { setFlagsFromString } from 'node:v8';

/** From this many tests held at once, the CLI tunes V8's collector for memory (see {@link tuneGcForManyTests}). */
export const MANY_TESTS_AT_ONCE = 100;

/**
 * How far V8's old generation may grow past what a full collection kept, in percent, for a run
 * of many tests at once. V8's own choice is between 10% and 300% (it lets a young, fast-growing
 * heap grow up to 4x before its next full collection).
 */
export const HEAP_GROWING_PERCENT = 40;

/**
 * Whether a run holding `testsAtOnce` tests at once (the smaller of `--concurrency` and its
 * number of tests) is one the CLI tunes the collector for.
 *
 * wantsGcTuning(8)       // false: a run of a few tests keeps V8's defaults
 * wantsGcTuning(1000)    // true
 */
export function wantsGcTuning(testsAtOnce: number): boolean {
  return testsAtOnce >= MANY_TESTS_AT_ONCE;
}

/**
 * Tunes V8's collector of this process for a run that holds many tests at once, and says whether
 * it did: the old generation may then grow {@link HEAP_GROWING_PERCENT}% past what a full
 * collection kept, where V8 would let it grow up to 4x. Such a run's heap is mostly short-lived
 * garbage promoted while thousands of requests are in flight; collected sooner, it costs less
 * memory for a little more CPU. Measured with the bench's fan-out (docs/benchmarks.md, "Session
 * 18"): peak RSS at 10,000 polls 935 -> 615 MB and at 1,000 polls 185 -> 139-149 MB, poll
 * lateness still well under the bare `node:http` floor's.
 *
 * For the CLI only, which owns its process; call it once the run's modules are loaded and before
 * its tests start. A V8 flag changed at run time makes V8 refuse code caches from then on: a
 * built-in module first loaded after this (Node's `https` and `tls` on a first https request)
 * is compiled from its source, once. Runs of fewer tests keep V8's defaults and lose nothing.
 */
export function tuneGcForManyTests(testsAtOnce: number): boolean {
  if (!wantsGcTuning(testsAtOnce)) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
