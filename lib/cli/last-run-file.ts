import { resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { readRegularFile } from '../dsl/read-regular-file.js';
import { decodeLastRun, type LastRun } from '../report/last-run.js';
import { writeReportFile } from './write-report-file.js';

/** Where a run records its tests' outcomes unless `--last-run PATH` says otherwise (relative to the working directory). */
export const DEFAULT_LAST_RUN = '.rocketship/last-run.json';

/** The largest last-run record read: 64 MiB (about 300,000 tests). */
const MAX_LAST_RUN_BYTES = 64 * 1024 * 1024;

/** What is at a last-run path: nothing yet, a record, or something that is not one. */
export type LastRunFile =
  | { readonly _tag: 'Missing' }
  | { readonly _tag: 'Read'; readonly record: LastRun }
  | { readonly _tag: 'Unreadable'; readonly message: string };

/** The absolute path of the record: `--last-run PATH`, else {@link DEFAULT_LAST_RUN}, relative to `cwd`. */
export function lastRunPath(given: string | undefined, cwd: string): string {
  return resolve(cwd, given ?? DEFAULT_LAST_RUN);
}

/**
 * Reads a last-run record. A file that is not there is `Missing` (no run recorded yet); one that
 * cannot be read or is not a record is `Unreadable`, with a message naming it.
 *
 * readLastRunFile('/p/.rocketship/last-run.json')   // { _tag: 'Read', record: { version: 1, tests: [...] } }
 */
export function readLastRunFile(path: string, shown: string = path): LastRunFile {
  const bytes = readRegularFile(path, MAX_LAST_RUN_BYTES);
  if (E.isLeft(bytes)) {
    const problem = bytes.left;
    if (problem._tag === 'Unreadable' && problem.message === 'no such file') return { _tag: 'Missing' };
    const why =
      problem._tag === 'Unreadable'
        ? `cannot read it (${problem.message})`
        : problem._tag === 'NotRegular'
          ? `it is ${problem.kind}, not a regular file`
          : `it is ${problem.size} bytes, more than a record may be (${MAX_LAST_RUN_BYTES})`;
    return { _tag: 'Unreadable', message: `last-run record ${shown}: ${why}` };
  }
  const record = decodeLastRun(bytes.right.toString('utf8'));
  return E.isRight(record)
    ? { _tag: 'Read', record: record.right }
    : { _tag: 'Unreadable', message: `last-run record ${shown}: ${record.left}` };
}

/**
 * Writes a last-run record whole or not at all (a temporary file renamed over it, its directory
 * created), so that a run killed mid-write, or two runs ending together, never leave half a
 * record. Resolves to the problem, if any, in words: never rejects (the record is not worth
 * failing a run for).
 */
export async function writeLastRunFile(path: string, record: LastRun, shown: string = path): Promise<string | undefined> {
  try {
    await writeReportFile(path, `${JSON.stringify(record, null, 2)}\n`);
    return undefined;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return `cannot write the last-run record ${shown} (${typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)}); --rerun-failed will not know this run`;
  }
}
