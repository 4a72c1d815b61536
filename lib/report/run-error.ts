import { formatDslError, type DslError } from '../dsl/index.js';

/** What kind of problem stopped a run, or kept it from starting. */
export type RunErrorKind =
  /** A suite file, a var or env file, or a value given on the command line is wrong: nothing ran. */
  | 'input'
  /** The command line itself is wrong (an unknown option, a missing value): nothing ran. */
  | 'usage'
  /** The runner itself failed (a bug, a resource the process ran out of). */
  | 'internal';

/** One problem, as the reports show it. */
export interface RunErrorEntry {
  readonly kind: RunErrorKind;
  /** One line: what is wrong and what was expected. */
  readonly message: string;
  /** The file to blame, when there is one. */
  readonly file?: string;
  /** 1-based line and column in `file`. */
  readonly line?: number;
  readonly col?: number;
  /** The key path in `file` (`tests[0].steps[1].config`), when known. */
  readonly path?: string;
  /** The whole text as printed on stderr (the source line and a caret), when it adds to `message`. */
  readonly details?: string;
}

/**
 * The error a document reporter is given (`reporter.error(new RunError(...))`) when a run
 * stopped on a problem, or never started: the reports then say so, with an entry per problem,
 * instead of looking like a run in which nothing failed.
 *
 * - `started: false`: bad input or a usage error; no suite ran (JSON: `summary.started` false;
 *   JUnit: a testsuite per file with an `<error>` testcase per problem).
 * - `started: true`: the run stopped part way (an internal error); what ran is reported as well.
 *
 * Entries are shown as given: mask secrets before making one.
 *
 * for (const r of documents) r.error(new RunError([{ kind: 'input', file: 'a.yaml', line: 2, col: 8, message: 'expected a list of tests, found a map' }], { started: false, at: Date.now() }));
 */
export class RunError extends Error {
  override readonly name = 'RunError';
  readonly entries: readonly RunErrorEntry[];
  /** Whether any suite had started. */
  readonly started: boolean;
  /** When it happened, in epoch milliseconds, if known. */
  readonly at: number | undefined;

  constructor(entries: readonly RunErrorEntry[], options: { readonly started: boolean; readonly at?: number | undefined }) {
    super(
      entries
        .map((e) => (e.file === undefined ? e.message : `${e.file}${e.line === undefined ? '' : `:${e.line}:${e.col ?? 1}`}: ${e.message}`))
        .join('\n'),
    );
    this.entries = entries;
    this.started = options.started;
    this.at = options.at;
  }
}

/**
 * Any error a reporter's `error()` receives, as a {@link RunError}: a `RunError` as it is;
 * anything else as one `internal` entry with its message (never its stack), in a run that
 * had started.
 *
 * runErrorOf(new TypeError('x is undefined')).entries  // [{ kind: 'internal', message: 'TypeError: x is undefined' }]
 */
export function runErrorOf(error: unknown): RunError {
  if (error instanceof RunError) return error;
  const message = error instanceof Error ? (error.name === 'Error' ? error.message : `${error.name}: ${error.message}`) : String(error);
  return new RunError([{ kind: 'internal', message }], { started: true });
}

/**
 * A suite file's problem as a report entry: kind `input`, where it is, and the lines the console
 * prints for it (`details`: the message, the source line and a caret).
 */
export function inputErrorEntry(e: DslError): RunErrorEntry {
  return {
    kind: 'input',
    file: e.file,
    line: e.line,
    col: e.col,
    ...(e.path === '' ? {} : { path: e.path }),
    message: e.message,
    details: formatDslError(e),
  };
}
