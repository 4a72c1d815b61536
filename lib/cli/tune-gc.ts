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
 * By how much V8 may grow its young generation when it fills, for a run of many tests at once: 1,
 * not at all. V8 would double it each time much of what it held survived, as it does while
 * thousands of requests are in flight: from 1 MB at start up to 32 MB (Node 20).
 */
export const SEMI_SPACE_GROWTH_FACTOR = 1;

/**
 * The flags set for a run of many tests at once, each with the options of node's command line
 * that mean the user chose that part of the collector: then the flag is left out.
 */
const TUNING: readonly { readonly flag: string; readonly setByUser: RegExp }[] = [
  { flag: `--heap-growing-percent=${HEAP_GROWING_PERCENT}`, setByUser: /--heap[-_]growing[-_]percent/ },
  {
    flag: `--semi-space-growth-factor=${SEMI_SPACE_GROWTH_FACTOR}`,
    setByUser: /--(?:(?:max|min)[-_]semi[-_]space[-_]size|semi[-_]space[-_]growth[-_]factor)/,
  },
];

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
 * it set anything. Such a run's heap is mostly short-lived garbage made while thousands of
 * requests are in flight; collected sooner and in a smaller space, it costs less memory:
 * - the old generation may grow {@link HEAP_GROWING_PERCENT}% past what a full collection kept,
 *   where V8 would let it grow up to 4x;
 * - the young generation keeps its size ({@link SEMI_SPACE_GROWTH_FACTOR}), where V8 would grow
 *   it to 32 MB.
 * Measured with the bench's fan-out (docs/benchmarks.md, "Session 18" and "Session 19"): peak
 * RSS at 10,000 polls 935 -> 506 MB with the first, then 517 -> 430 MB with the second, and at
 * 1,000 polls 185 -> 145 MB, then 138 -> 103 MB; poll lateness still below the bare `node:http`
 * floor's.
 *
 * For the CLI only, which owns its process; call it once its modules are loaded (the bundle is)
 * and before the run reads its suites, so that decoding large files is collected as the run will
 * be. A V8 flag changed at run time makes V8 refuse code caches from then on: a built-in module
 * first loaded after this (Node's `https` and `tls` on a first https request) is compiled from
 * its source, once. Runs of fewer tests at once keep V8's defaults and lose nothing. A process
 * started with flags of its own for a part of the collector (on node's command line or in
 * `NODE_OPTIONS`: `--heap-growing-percent`; `--max-semi-space-size`, `--min-semi-space-size` or
 * `--semi-space-growth-factor`) keeps them for that part.
 */
export function tuneGcForManyTests(testsAtOnce: number, startedWith: StartedWith = {}): boolean {
  if (!wantsGcTuning(testsAtOnce)) return false;
  const flags = gcTuningFlags(startedWith);
  if (flags.length === 0) return false;
  setFlagsFromString(flags.join(' '));
  return true;
}

/**
 * The V8 flags {@link tuneGcForManyTests} sets in a process started so: each unless the process was
 * started with flags of its own for that part of the collector.
 *
 * gcTuningFlags({})                                          // ['--heap-growing-percent=40', '--semi-space-growth-factor=1']
 * gcTuningFlags({ nodeOptions: '--max-semi-space-size=64' }) // ['--heap-growing-percent=40']
 */
export function gcTuningFlags({ execArgv = [], nodeOptions = '' }: StartedWith): string[] {
  const given = [...execArgv, nodeOptions];
  return TUNING.filter(({ setByUser }) => !given.some((option) => setByUser.test(option))).map(({ flag }) => flag);
}

/** How the process was started: node's own options (`process.execArgv`) and `NODE_OPTIONS`. */
export interface StartedWith {
  readonly execArgv?: readonly string[] | undefined;
  readonly nodeOptions?: string | undefined;
}
