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
 * Whether a run of up to `testsAtOnce` tests at once (its `--concurrency`, a worker's too) is one
 * the CLI tunes the collector for.
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
 * 18"): peak RSS at 10,000 polls 935 -> 506 MB and at 1,000 polls 185 -> 145 MB, poll
 * lateness still below the bare `node:http` floor's.
 *
 * For the CLI only, which owns its process; call it once its modules are loaded (the bundle is)
 * and before the run reads its suites, so that decoding large files is collected as the run will
 * be. A V8 flag changed at run time makes V8 refuse code caches from then on: a built-in module
 * first loaded after this (Node's `https` and `tls` on a first https request) is compiled from
 * its source, once. Runs of fewer tests at once keep V8's defaults and lose nothing. A
 * process started with a `--heap-growing-percent` of its own (on node's command line or in
 * `NODE_OPTIONS`) keeps it.
 */
export function tuneGcForManyTests(testsAtOnce: number, startedWith: StartedWith = {}): boolean {
  if (!wantsGcTuning(testsAtOnce) || setByUser(startedWith)) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}

/** How the process was started: node's own options (`process.execArgv`) and `NODE_OPTIONS`. */
export interface StartedWith {
  readonly execArgv?: readonly string[] | undefined;
  readonly nodeOptions?: string | undefined;
}

/** Whether the process was started with its own heap growing factor (V8 reads `-` and `_` alike). */
function setByUser({ execArgv = [], nodeOptions = '' }: StartedWith): boolean {
  return [...execArgv, nodeOptions].some((option) => /--heap[-_]growing[-_]percent/.test(option));
}
