import type { PlanFlag, SuitePlan, WorstCase } from './plan-suite.js';

/** Options of {@link planRun}: how the run would schedule its tests. */
export interface PlanRunOptions {
  /** Tests running at once across every suite (`--concurrency`). Default 8. */
  readonly concurrency?: number | undefined;
  /** The files one after another (`--sequential`) instead of all at once. Default false. */
  readonly sequential?: boolean | undefined;
}

/** What a whole run would do: its suites' plans and how long it can take at worst. */
export interface RunPlan {
  readonly suites: readonly SuitePlan[];
  readonly concurrency: number;
  readonly sequential: boolean;
  readonly tests: number;
  readonly steps: number;
  /**
   * The longest the run can take at `concurrency`: every step at its worst case, tests given a
   * slot first come first served as the runner gives them (each suite's tests once its init is
   * over), each suite's cleanup after its last test. A lower bound when a step's worst case is
   * only known at run time (`bounded: false`).
   */
  readonly worstCase: WorstCase;
  /** Every suite's flags, in file order. */
  readonly flags: readonly PlanFlag[];
}

/**
 * Puts suite plans together as one run would run them: the suites at once (or one after another
 * with `sequential`), at most `concurrency` tests at a time across all of them, and computes the
 * run's worst-case duration by scheduling each test's worst case the way the runner's slot pool
 * does (first come, first served).
 *
 * planRun([jobs, health], { concurrency: 2 }).worstCase   // { ms: 330000, bounded: true }
 */
export function planRun(suites: readonly SuitePlan[], options: PlanRunOptions = {}): RunPlan {
  const concurrency = options.concurrency ?? 8;
  const sequential = options.sequential ?? false;
  // When each slot is free again, and how long each test waits for one: first come, first served.
  const slots: number[] = Array.from({ length: concurrency }, () => 0);
  const takeSlot = (ready: number, durationMs: number): number => {
    let best = 0;
    for (let i = 1; i < slots.length; i += 1) if ((slots[i] as number) < (slots[best] as number)) best = i;
    const start = Math.max(ready, slots[best] as number);
    slots[best] = start + durationMs;
    return start + durationMs;
  };
  let bounded = true;
  let end = 0;
  let suiteStart = 0;
  // Without --sequential every suite's tests ask for slots together: in the order they become ready.
  const asks: Array<{ ready: number; suite: number; ms: number }> = [];
  const suiteEnds: number[] = [];
  suites.forEach((suite, i) => {
    bounded &&= suite.initWorstCase.bounded && suite.cleanupWorstCase.bounded && suite.tests.every((t) => t.worstCase.bounded);
    const ready = suiteStart + suite.initWorstCase.ms;
    suiteEnds[i] = ready;
    if (sequential) {
      for (const test of suite.tests) suiteEnds[i] = Math.max(suiteEnds[i] as number, takeSlot(ready, test.worstCase.ms));
      suiteEnds[i] = (suiteEnds[i] as number) + suite.cleanupWorstCase.ms;
      suiteStart = suiteEnds[i] as number;
    } else {
      for (const test of suite.tests) asks.push({ ready, suite: i, ms: test.worstCase.ms });
    }
  });
  if (!sequential) {
    // Stable: ties keep file order, then test order, as the runner subscribes them.
    asks.sort((a, b) => a.ready - b.ready);
    for (const ask of asks) suiteEnds[ask.suite] = Math.max(suiteEnds[ask.suite] as number, takeSlot(ask.ready, ask.ms));
    suites.forEach((suite, i) => (suiteEnds[i] = (suiteEnds[i] as number) + suite.cleanupWorstCase.ms));
  }
  for (const e of suiteEnds) end = Math.max(end, e);
  return {
    suites,
    concurrency,
    sequential,
    tests: suites.reduce((n, s) => n + s.tests.length, 0),
    steps: suites.reduce((n, s) => n + s.init.length + s.cleanup.length + s.tests.reduce((m, t) => m + t.steps.length, 0), 0),
    worstCase: { ms: end, bounded },
    flags: suites.flatMap((s) => [...s.init, ...s.tests.flatMap((t) => t.steps), ...s.cleanup].flatMap((step) => step.flags)),
  };
}
