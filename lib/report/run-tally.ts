import type { RunEvent, SuiteResult } from '../event/run-event.js';

/** How many tests ended each way. */
export interface Tally {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly interrupted: number;
}

/** Counts test outcomes over the event stream; keeps one small record per suite, nothing per step. */
export interface RunTally {
  add(event: RunEvent): void;
  /**
   * The totals so far. A suite that ended counts as its `SuiteEnded` result says (which includes
   * tests it never started, e.g. skipped after a failed suite init); a suite still running (or
   * cut short) counts the tests that ended.
   */
  totals(): Tally;
  /** The first and last `at` seen, for the run's duration; undefined before any event. */
  span(): { readonly firstAt: number; readonly lastAt: number } | undefined;
}

/** Creates an empty tally. */
export function createRunTally(): RunTally {
  const suites = new Map<string, { counts: Record<keyof Tally, number>; result: SuiteResult | undefined }>();
  let firstAt: number | undefined;
  let lastAt = 0;
  const suiteOf = (file: string, name: string) => {
    const key = `${file}\0${name}`;
    let suite = suites.get(key);
    if (suite === undefined) {
      suite = { counts: { passed: 0, failed: 0, skipped: 0, interrupted: 0 }, result: undefined };
      suites.set(key, suite);
    }
    return suite;
  };
  return {
    add(event) {
      firstAt ??= event.at;
      lastAt = Math.max(lastAt, event.at);
      if (event._tag === 'SuiteStarted') suiteOf(event.ref.file, event.ref.suite);
      else if (event._tag === 'SuiteEnded') suiteOf(event.ref.file, event.ref.suite).result = event.result;
      else if (event._tag === 'TestEnded') {
        const counts = suiteOf(event.ref.file, event.ref.suite).counts;
        const tag = event.result._tag;
        counts[tag === 'Passed' ? 'passed' : tag === 'Failed' ? 'failed' : tag === 'Skipped' ? 'skipped' : 'interrupted']++;
      }
    },
    totals() {
      const total = { passed: 0, failed: 0, skipped: 0, interrupted: 0 };
      for (const { counts, result } of suites.values()) {
        const source = result ?? counts;
        total.passed += source.passed;
        total.failed += source.failed;
        total.skipped += source.skipped;
        total.interrupted += source.interrupted;
      }
      return total;
    },
    span() {
      return firstAt === undefined ? undefined : { firstAt, lastAt };
    },
  };
}
