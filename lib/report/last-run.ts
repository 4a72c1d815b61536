import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { RunEvent } from '../event/run-event.js';
import { isStepError } from '../step/step-failure.js';
import type { Reporter } from './reporter.js';

/** How a test ended, as the last-run record keeps it. */
export type TestOutcome = 'passed' | 'failed' | 'errored';

/**
 * One test's last outcome. A test is known by its file, its position in the file's `tests` and
 * its name together: a file edited since (a test inserted above, one renamed) is matched by
 * `selectRerun`, which says what it could not find.
 */
export interface LastRunTest {
  /** The suite file, an absolute path. */
  readonly file: string;
  readonly suite: string;
  /** Its 0-based position in the file's `tests`. */
  readonly index: number;
  readonly name: string;
  readonly outcome: TestOutcome;
}

/** What `.rocketship/last-run.json` holds: the last outcome of every test that ran to an end, run after run. */
export interface LastRun {
  readonly version: 1;
  readonly tests: readonly LastRunTest[];
}

const TestOutcomeCodec = t.keyof({ passed: null, failed: null, errored: null }, 'passed, failed or errored');
const LastRunTestCodec = t.type(
  { file: t.string, suite: t.string, index: t.number, name: t.string, outcome: TestOutcomeCodec },
  'a test entry (file, suite, index, name, outcome)',
);
const LastRunCodec = t.type({ version: t.literal(1), tests: t.array(LastRunTestCodec) }, 'a last-run record ({ version: 1, tests })');

/**
 * Reads the text of a last-run record; `left` says what is wrong with it (not JSON, not a record
 * of this version), for a message that names the file.
 *
 * decodeLastRun('{"version":1,"tests":[]}')   // right({ version: 1, tests: [] })
 * decodeLastRun('{')                          // left('it is not JSON (...)')
 */
export function decodeLastRun(text: string): E.Either<string, LastRun> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return E.left(`it is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const decoded = LastRunCodec.decode(parsed);
  if (E.isRight(decoded)) return E.right(decoded.right);
  const first = decoded.left[0];
  const path = (first?.context ?? [])
    .map((c) => c.key)
    .filter((k) => k !== '')
    .join('.');
  return E.left(
    `it is not a last-run record of this version: at ${path === '' ? 'the top' : path}, expected ${first?.context.at(-1)?.type.name ?? 'a record'}`,
  );
}

/** A reporter that keeps what {@link mergeLastRun} needs: the outcome of each test that ran to an end. */
export interface LastRunReporter extends Reporter {
  /** The outcomes so far, in the order the tests ended. */
  outcomes(): readonly LastRunTest[];
}

/**
 * Folds a run's events into each test's outcome: `passed`; `failed`; `errored` when the step that
 * did not pass could not run as written (a `StepError`: a bad rendered value, an unknown plugin,
 * an internal error), and for every test skipped because its suite's `init` did not pass (the
 * test never got to run; re-running it runs the init again). A test that did not run to an end
 * (skipped by `--bail` or an interrupt, interrupted) records nothing: what the record said of it
 * before still stands.
 *
 * const last = lastRunReporter();
 * runSuite(loaded, config).subscribe(last);
 * last.outcomes()   // [{ file, suite, index: 0, name: 'Submit', outcome: 'failed' }, ...]
 */
export function lastRunReporter(): LastRunReporter {
  const out: LastRunTest[] = [];
  // Tests skipped in each suite, in case its init failed (said only by SuiteEnded, after them).
  const skipped = new Map<string, LastRunTest[]>();
  return {
    next: (event: RunEvent) => {
      if (event._tag === 'TestEnded') {
        const { file, suite, testIndex, test: name } = event.ref;
        const test = { file, suite, index: testIndex, name };
        const r = event.result;
        if (r._tag === 'Passed') out.push({ ...test, outcome: 'passed' });
        else if (r._tag === 'Failed') out.push({ ...test, outcome: isStepError(r.cause) ? 'errored' : 'failed' });
        else if (r._tag === 'Skipped') skipped.set(file, [...(skipped.get(file) ?? []), { ...test, outcome: 'errored' }]);
      } else if (event._tag === 'SuiteEnded') {
        if (event.result.initFailure !== undefined) out.push(...(skipped.get(event.ref.file) ?? []));
        skipped.delete(event.ref.file);
      }
    },
    error: () => undefined,
    complete: () => undefined,
    outcomes: () => out,
  };
}

/**
 * The record after a run: the outcomes of the tests that ran replace what `previous` said of the
 * same tests (same file and position); every other entry of `previous` stays, so that a run of
 * some tests (`--test`, `--rerun-failed`) forgets nothing about the others. `current` gives the
 * names of the tests of each file the run loaded, in order: an entry of such a file is kept where
 * its test is now (see {@link testPosition}: moved when the file was edited), and dropped when its
 * test is gone. An entry of a file `fileExists` says is gone is dropped too: a record written
 * run after run would otherwise keep every suite ever run from here (temporary ones included),
 * and each run reads it whole. Entries are sorted by file and position.
 *
 * mergeLastRun({ version: 1, tests: [a0failed, a1failed] }, [a0passed], new Map([['/s/a.yaml', ['a0', 'a1']]])).tests
 * // [a0passed, a1failed]
 */
export function mergeLastRun(
  previous: LastRun | undefined,
  ran: readonly LastRunTest[],
  current: ReadonlyMap<string, readonly string[]> = new Map(),
  fileExists: (file: string) => boolean = () => true,
): LastRun {
  const key = (file: string, index: number): string => `${index}\0${file}`;
  const byKey = new Map<string, LastRunTest>();
  const exists = new Map<string, boolean>();
  for (const test of previous?.tests ?? []) {
    const names = current.get(test.file);
    if (names === undefined) {
      let there = exists.get(test.file);
      if (there === undefined) exists.set(test.file, (there = fileExists(test.file)));
      if (!there) continue;
    }
    const now = names === undefined ? test.index : testPosition(names, test);
    if (now !== undefined) byKey.set(key(test.file, now), { ...test, index: now });
  }
  for (const test of ran) byKey.set(key(test.file, test.index), test);
  const tests = [...byKey.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.index - b.index));
  return { version: 1, tests };
}

/**
 * Where a recorded test is in its file now, given the names of the file's tests in order: at its
 * position when the name there is still its name; else at the nearest position holding its name
 * (a test inserted or removed above it moved it; the lower one on a tie); else nowhere (renamed
 * or removed: `undefined`).
 *
 * testPosition(['a', 'new', 'b'], { index: 1, name: 'b' })   // 2
 * testPosition(['a', 'c'], { index: 1, name: 'b' })          // undefined
 */
export function testPosition(names: readonly string[], test: { readonly index: number; readonly name: string }): number | undefined {
  if (names[test.index] === test.name) return test.index;
  let best: number | undefined;
  names.forEach((name, i) => {
    if (name === test.name && (best === undefined || Math.abs(i - test.index) < Math.abs(best - test.index))) best = i;
  });
  return best;
}
