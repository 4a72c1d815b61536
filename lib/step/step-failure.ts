import type { ScriptLanguage } from '../dsl/index.js';
import type { CheckRecord } from './attempt-record.js';

/**
 * Why a step failed: the step ran, and what it saw is wrong. Tagged data, so that a reporter
 * (or a program) can lay it out as it likes and `retry.non_retryable_errors` can match the tag;
 * {@link formatStepProblem} makes the text every built-in reporter shows.
 *
 * A plugin that is not ours reports its failures as `PluginFailed` (a `StepFailedError` made
 * with a message).
 */
export type StepFailure =
  | Assertions
  | PollTimedOut
  | PollExhausted
  | FailCondition
  | Transport
  | SaveFailed
  | ScriptAssertion
  | ScriptError
  | ScriptTimedOut
  | ScriptNotRun
  | ExitCode
  | PluginFailed
  | ContractViolation
  | SqlStatements
  | SqlTimedOut;

/** Why a step could not run as written (it never judged the system under test). */
export type StepError =
  /** A bad rendered value, an undefined variable, a missing file: the step as written cannot run. */
  | { readonly _tag: 'Config'; readonly message: string }
  /** The step's `plugin` is not in the run's registry. */
  | { readonly _tag: 'UnknownPlugin'; readonly plugin: string; readonly known: readonly string[] }
  /** A bug of ours, or of a plugin: something threw that is neither a failure nor a config error. */
  | { readonly _tag: 'Internal'; readonly message: string };

/** What a failed test or suite init points at: a failure, or an error. Tags never overlap. */
export type StepProblem = StepFailure | StepError;

/** The tags of {@link StepError}. */
const STEP_ERROR_TAGS: ReadonlySet<string> = new Set<StepError['_tag']>(['Config', 'UnknownPlugin', 'Internal']);

/**
 * Whether a step's problem is an error (it could not run as written: a test that ends with it
 * errored) rather than a failure (the system under test misbehaved: the test failed).
 *
 * isStepError({ _tag: 'Config', message: 'undefined variable "x"' })   // true
 * isStepError({ _tag: 'Assertions', failed: [...] })                   // false
 */
export function isStepError(problem: StepProblem): problem is StepError {
  return STEP_ERROR_TAGS.has(problem._tag);
}

/** Some `assertions` did not hold on the step's response. */
export interface Assertions {
  readonly _tag: 'Assertions';
  /** The assertions that failed (never empty), in the order written. */
  readonly failed: readonly CheckRecord[];
}

/** The evidence every poll failure carries. */
export interface PollEvidence {
  /** Requests started, including one cut off at the deadline. */
  readonly attempts: number;
  /** Time from the first request to the failure, in ms. */
  readonly elapsedMs: number;
  /** The last attempt that ended; `undefined` when the first one never did. */
  readonly last: LastAttempt | undefined;
}

/** What the last finished attempt of a failed poll came to. */
export type LastAttempt =
  | {
      readonly _tag: 'Response';
      readonly number: number;
      readonly status: number;
      /** The poll's conditions on this response. */
      readonly conditions: readonly CheckRecord[];
      /** The start of the body. */
      readonly body: string;
    }
  | { readonly _tag: 'TransportError'; readonly number: number; readonly message: string }
  | { readonly _tag: 'NoResponse'; readonly number: number }
  | {
      /** A `sql` step's statements ran (some may have failed). */
      readonly _tag: 'SqlResult';
      readonly number: number;
      /** `2 statements, 1 failed: relation "orders" does not exist`. */
      readonly summary: string;
      /** The poll's conditions on this result. */
      readonly conditions: readonly CheckRecord[];
      /** The start of the result as JSON. */
      readonly body: string;
    };

/**
 * The poll's `timeout` ran out before its conditions held: the deadline passed
 * (`stoppedBy: 'Deadline'`), or the poll gave up before it because the next wait would have
 * ended at or past it (`stoppedBy: 'NextWait'`, with `unwaitedDelayMs`).
 */
export interface PollTimedOut extends PollEvidence {
  readonly _tag: 'PollTimedOut';
  readonly timeoutMs: number;
  /**
   * What ended the poll: `Deadline`, the deadline itself (any request in flight aborted), or
   * `NextWait`, the wait after the last attempt, not waited since it would have crossed the
   * deadline (the poll gave up `elapsedMs` in, before its `timeoutMs`).
   */
  readonly stoppedBy: 'Deadline' | 'NextWait';
  /** A request was in flight, and was aborted, at the deadline. */
  readonly inFlight: boolean;
  /** The wait that was not waited because it would have ended at or after the deadline (set exactly when `stoppedBy` is `NextWait`). */
  readonly unwaitedDelayMs: number | undefined;
}

/** The poll's `max_attempts`-th response did not meet its conditions. */
export interface PollExhausted extends PollEvidence {
  readonly _tag: 'PollExhausted';
  readonly maxAttempts: number;
}

/** One of the poll's `fail_conditions` held. */
export interface FailCondition extends PollEvidence {
  readonly _tag: 'FailCondition';
  /** What the condition that held reads (`json_path .status`, `status_code`). */
  readonly condition: string;
  /**
   * Its results on the response that matched, one per matcher, every one passed: what it
   * matched (`actual`), e.g. `{ label: 'json_path .status', matcher: 'expected', expected: 'failed', actual: 'failed' }`.
   * Empty when not known.
   */
  readonly held: readonly CheckRecord[];
}

/** The request got no response (refused, reset, timed out, bad TLS, ...). */
export interface Transport {
  readonly _tag: 'Transport';
  /** Node's or our error code: `ECONNREFUSED`, `ETIMEDOUT`, `UNEXPECTED_UPGRADE`, ... */
  readonly code: string;
  readonly message: string;
}

/** A required `save` found nothing to save. */
export interface SaveFailed {
  readonly _tag: 'SaveFailed';
  /** The variable it was to save. */
  readonly as: string;
  readonly why:
    | { readonly _tag: 'NotJson'; readonly reason: string }
    | { readonly _tag: 'NoMatch'; readonly jsonPath: string }
    | { readonly _tag: 'NoHeader'; readonly header: string };
}

/** A JavaScript `assert(...)` did not hold. `at` says where. */
export interface ScriptAssertion {
  readonly _tag: 'ScriptAssertion';
  readonly message: string;
  readonly at: ScriptPlace;
}

/** The JavaScript threw, or rejected a promise nothing handled. `at` says where. */
export interface ScriptError {
  readonly _tag: 'ScriptError';
  readonly description: string;
  readonly inPromise: boolean;
  readonly at: ScriptPlace;
}

/**
 * Where in a JavaScript script step something happened. `line` and `column` (1-based) are in the
 * script as written, when known; a column is that of the failing expression (the `assert` or
 * `save` call, the `throw` keyword, the token of a syntax error).
 *
 * { _tag: 'ScriptFile', file: '/suites/scripts/check.js', line: 3, column: 5 }
 * { _tag: 'InlineScript', suiteFile: 'rocketship.yaml', stepLine: 11, line: 3, column: 5, suiteLine: 18, suiteColumn: 15 }
 */
export type ScriptPlace =
  /** A script read from `config.file`: its path. */
  | {
      readonly _tag: 'ScriptFile';
      readonly file: string;
      readonly line?: number;
      readonly column?: number;
    }
  /**
   * An inline `config.script` in `suiteFile`, of the step whose map starts at `stepLine`; where
   * the script's line and column are in the suite file, when that can be told (a literal block
   * `script: |`, or a one-line scalar).
   */
  | {
      readonly _tag: 'InlineScript';
      readonly suiteFile: string;
      readonly stepLine?: number;
      readonly line?: number;
      readonly column?: number;
      readonly suiteLine?: number;
      readonly suiteColumn?: number;
    };

/** The script ran longer than its `timeout`. */
export interface ScriptTimedOut {
  readonly _tag: 'ScriptTimedOut';
  readonly language: ScriptLanguage;
  readonly timeoutMs: number;
}

/** The script could not be started: its inputs cannot be given to it, or the process failed to start. */
export interface ScriptNotRun {
  readonly _tag: 'ScriptNotRun';
  readonly language: ScriptLanguage;
  /** `not-run`: an input cannot be given (too deep, too large); `no-start`: it was given and failed to start. */
  readonly stage: 'not-run' | 'no-start';
  readonly reason: string;
}

/** The shell script exited with a code other than 0. */
export interface ExitCode {
  readonly _tag: 'ExitCode';
  readonly exitCode: number;
  readonly signal: string | undefined;
  /** The last non-empty line of stderr, cut to one line, when there is one. */
  readonly lastError: string | undefined;
  /** The end of stdout and stderr as the message shows them (bounded), one line each. */
  readonly output: readonly string[];
}

/** A failure reported by a plugin with a message only (`new StepFailedError('...')`). */
export interface PluginFailed {
  readonly _tag: 'PluginFailed';
  readonly message: string;
}

/**
 * The request or a response broke the OpenAPI contract (`openapi`): the request is not sent;
 * a response fails the step before assertions and conditions, a poll's at once.
 */
export interface ContractViolation {
  readonly _tag: 'ContractViolation';
  readonly side: 'request' | 'response';
  /** The operation matched (`POST /post (submitData)`), when one was. */
  readonly operation: string | undefined;
  /** Every violation, one line each: `response body /items/0/id: must be string (schema at ...)`. */
  readonly violations: readonly string[];
  /** The poll's attempt whose response broke it; `undefined` for a request, or a step without polling. */
  readonly attempt: number | undefined;
}

/**
 * Statements of a `sql` step failed (bad SQL, a constraint, a missing table). As in Rocketship,
 * every statement still ran, in order; the step fails before its assertions.
 */
export interface SqlStatements {
  readonly _tag: 'SqlStatements';
  /** How many statements the step ran. */
  readonly total: number;
  /** Each failed statement: its index in `commands` (or in the file), its text and the database's error. */
  readonly failed: readonly { readonly index: number; readonly query: string; readonly error: string }[];
}

/**
 * A `sql` step ran past its `timeout` (the whole step: connecting and every statement). The
 * statement in flight was cancelled on the server.
 */
export interface SqlTimedOut {
  readonly _tag: 'SqlTimedOut';
  readonly timeoutMs: number;
  /** The statement in flight (its index) when the timeout came; `undefined` while connecting. */
  readonly statement: number | undefined;
}
