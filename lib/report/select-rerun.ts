import { testPosition, type LastRun, type LastRunTest } from './last-run.js';

/** A test chosen to run again: where it is now, and where the record had it. */
export interface RerunTest extends LastRunTest {
  /** Its position in the record, when the file was edited since and the test moved. */
  readonly movedFrom?: number;
}

/** What {@link selectRerun} chose. */
export interface RerunSelection {
  /** The tests that failed or errored in the record and are still in their files, file by file in order. */
  readonly tests: readonly RerunTest[];
  /** Tests that failed or errored whose file is loaded but no longer has them (renamed or removed): reported, not run. */
  readonly gone: readonly LastRunTest[];
  /** Tests that failed or errored in files that were not loaded (not given this time, or deleted): the caller says which. */
  readonly elsewhere: readonly LastRunTest[];
}

/**
 * Chooses the tests to run again: those the record says failed or errored, found in the files
 * loaded now (`current`: each file's test names, in order) by {@link testPosition}: at their
 * position, or moved when the file was edited (a test inserted above); a test no longer in its
 * file is `gone`, a file not loaded is `elsewhere`. Each position is chosen once.
 *
 * selectRerun(record, new Map([['/s/jobs.yaml', ['Setup', 'Submit', 'Poll']]]))
 * // { tests: [{ file: '/s/jobs.yaml', index: 2, name: 'Poll', outcome: 'failed', movedFrom: 1 }], gone: [], elsewhere: [] }
 */
export function selectRerun(record: LastRun, current: ReadonlyMap<string, readonly string[]>): RerunSelection {
  const tests: RerunTest[] = [];
  const gone: LastRunTest[] = [];
  const elsewhere: LastRunTest[] = [];
  const chosen = new Set<string>();
  for (const test of record.tests) {
    if (test.outcome === 'passed') continue;
    const names = current.get(test.file);
    if (names === undefined) {
      elsewhere.push(test);
      continue;
    }
    const now = testPosition(names, test);
    if (now === undefined) {
      gone.push(test);
      continue;
    }
    const key = `${now}\0${test.file}`;
    if (chosen.has(key)) continue;
    chosen.add(key);
    tests.push({ ...test, index: now, ...(now === test.index ? {} : { movedFrom: test.index }) });
  }
  tests.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.index - b.index));
  return { tests, gone, elsewhere };
}
