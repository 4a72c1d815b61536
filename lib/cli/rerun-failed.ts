import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { LoadedSuite } from '../dsl/index.js';
import type { LastRun } from '../report/last-run.js';
import { selectRerun, type RerunTest } from '../report/select-rerun.js';
import type { TestChoice } from './read-inputs.js';

/**
 * The suite files `--rerun-failed` runs when no FILE, `-f` or `-d` is given: those of the tests
 * that failed or errored in the record, in its order, when they still exist; a file gone since is
 * said in `notes`.
 */
export function filesToRerun(record: LastRun, cwd: string): { readonly files: readonly string[]; readonly notes: readonly string[] } {
  const failed = new Map<string, number>();
  for (const test of record.tests) if (test.outcome !== 'passed') failed.set(test.file, (failed.get(test.file) ?? 0) + 1);
  const files: string[] = [];
  const notes: string[] = [];
  for (const [file, count] of failed) {
    if (existsSync(file)) files.push(file);
    else
      notes.push(
        `${shown(file, cwd)} is gone: its ${count === 1 ? 'test' : `${count} tests`} that failed in the last run ${count === 1 ? 'is' : 'are'} not re-run`,
      );
  }
  return { files, notes };
}

/** What `--rerun-failed` runs, and what it says about it. */
export interface RerunChoice {
  /** The tests to run (where they are now), in file order. */
  readonly tests: readonly RerunTest[];
  /** The suites that have one of them: the others do not run at all (no init, no cleanup). */
  readonly suites: readonly LoadedSuite[];
  /** The tests chosen, for `runSuite`'s `only`. */
  readonly only: TestChoice;
  /** What to say first: how many, which, and why some are not re-run; or that there is nothing to re-run. */
  readonly lines: readonly string[];
}

/**
 * Chooses what `--rerun-failed` runs among the suites loaded (see `selectRerun`: a test is found
 * by its position and name, or by its name when the file was edited), and words it: the count
 * and each test (`jobs.yaml:12 [Jobs] [Submit and wait] failed`), a test no longer in its file
 * (renamed or removed: reported, not an error), the tests of files not given this time.
 * `recordShown` is the record's path as the user should read it.
 */
export function chooseRerun(record: LastRun, suites: readonly LoadedSuite[], cwd: string, recordShown: string): RerunChoice {
  const current = new Map(suites.map((loaded) => [loaded.file, loaded.suite.tests.map((t) => t.name)] as const));
  const selection = selectRerun(record, current);
  const chosen = new Set(selection.tests.map((t) => `${t.index}\0${t.file}`));
  const lines: string[] = [];
  for (const test of selection.gone)
    lines.push(
      `note: test ${JSON.stringify(test.name)} of ${shown(test.file, cwd)} ${test.outcome} in the last run but is no longer in the file (renamed or removed): not re-run`,
    );
  const elsewhere = selection.elsewhere.filter((t) => existsSync(t.file)).length;
  if (elsewhere > 0)
    lines.push(
      `note: ${elsewhere === 1 ? '1 test' : `${elsewhere} tests`} that failed in the last run ${elsewhere === 1 ? 'is' : 'are'} in files not given here: not re-run`,
    );
  const n = selection.tests.length;
  if (n === 0) {
    const why = record.tests.some((t) => t.outcome !== 'passed')
      ? 'none of the tests that failed in the last run is here any more'
      : 'no test failed or errored in the last run';
    lines.push(`nothing to re-run: ${why} (${recordShown})`);
  } else {
    lines.push(`re-running ${n === 1 ? 'the 1 test' : `${n} tests`} that failed or errored in the last run (${recordShown}):`);
    const byFile = new Map(suites.map((loaded) => [loaded.file, loaded] as const));
    for (const test of selection.tests) {
      const loaded = byFile.get(test.file);
      const line = loaded?.locate(['tests', test.index])?.line;
      const moved = test.movedFrom === undefined ? '' : ` (test #${test.movedFrom + 1} then, #${test.index + 1} now)`;
      lines.push(
        `  ${shown(test.file, cwd)}${line === undefined ? '' : `:${line}`} [${test.suite}] [${test.name}] ${test.outcome}${moved}`,
      );
    }
  }
  return {
    tests: selection.tests,
    suites: suites.filter((loaded) => selection.tests.some((t) => t.file === loaded.file)),
    only: (file, _name, index) => chosen.has(`${index}\0${file}`),
    lines,
  };
}

/** A path as the user reads it: relative to the working directory when it is below it. */
function shown(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}
