import type { Json } from '../json.js';
import type { CheckResult } from '../check/check-result.js';

/**
 * The events a run emits, in order. Reporters (console, JSON, JUnit) are folds over this stream;
 * the runner never imports a reporter. Every event carries `at`: milliseconds on the run's
 * scheduler clock (virtual time in marble specs).
 */
export type RunEvent =
  | SuiteStarted
  | TestStarted
  | StepStarted
  | AttemptMade
  | LogEmitted
  | StepEnded
  | TestEnded
  | SuiteEnded;

/**
 * Where a step sits in the lifecycle of its suite. Each step list of the file has a phase of its
 * own, so that phase + index names one step: `suite_cleanup_on_failure` step 0 and
 * `suite_cleanup_always` step 0 are two steps.
 */
export type Phase =
  | 'suite_init'
  | 'init'
  | 'steps'
  | 'cleanup_on_failure'
  | 'cleanup_always'
  | 'suite_cleanup_on_failure'
  | 'suite_cleanup_always';

/**
 * Identifies a step: its suite (by file), its test (by position; absent for suite init and
 * cleanup), its phase and its index in that phase. Names are labels for people, never keys: two
 * tests, or two steps of a test, may share a name (Rocketship allows it), and the redactor may
 * mask part of a name.
 */
export interface StepRef {
  readonly suite: string;
  readonly file: string;
  /** Test name; undefined for suite-level init and cleanup steps. */
  readonly test: string | undefined;
  /** 0-based position of the test in the file's `tests` list; undefined exactly when `test` is. */
  readonly testIndex: number | undefined;
  readonly phase: Phase;
  /** 0-based index within its phase. */
  readonly index: number;
  readonly step: string;
  /** 1-based line of the step in the suite file, when known. */
  readonly line: number | undefined;
}

/** A test as `SuiteStarted` announces it: its position (its identity in the suite) and its name. */
export interface TestEntry {
  /** 0-based position in the file's `tests` list (the same number as `testIndex` on its events). */
  readonly index: number;
  /** Its name: a label, not necessarily unique. */
  readonly name: string;
  /** 1-based line of the test in the suite file, when known. */
  readonly line: number | undefined;
}

export interface SuiteStarted {
  readonly _tag: 'SuiteStarted';
  readonly suite: string;
  readonly file: string;
  /** The tests that will run or be reported (after `only`), in file order. */
  readonly tests: readonly TestEntry[];
  readonly at: number;
}

export interface TestStarted {
  readonly _tag: 'TestStarted';
  readonly suite: string;
  readonly file: string;
  readonly test: string;
  /** The test's identity in its suite: its 0-based position in the file's `tests` list. */
  readonly testIndex: number;
  readonly at: number;
}

export interface StepStarted {
  readonly _tag: 'StepStarted';
  readonly ref: StepRef;
  readonly plugin: string;
  readonly at: number;
}

/** One HTTP request of a step (every request, polled or not), with its check results. */
export interface AttemptMade {
  readonly _tag: 'AttemptMade';
  readonly ref: StepRef;
  readonly attempt: AttemptRecord;
  readonly at: number;
}

export interface LogEmitted {
  readonly _tag: 'LogEmitted';
  readonly ref: StepRef;
  readonly message: string;
  readonly at: number;
}

export interface StepEnded {
  readonly _tag: 'StepEnded';
  readonly ref: StepRef;
  readonly result: StepResult;
  readonly at: number;
}

export interface TestEnded {
  readonly _tag: 'TestEnded';
  readonly suite: string;
  readonly file: string;
  readonly test: string;
  /** The test's identity in its suite: its 0-based position in the file's `tests` list. */
  readonly testIndex: number;
  readonly result: TestResult;
  readonly at: number;
}

export interface SuiteEnded {
  readonly _tag: 'SuiteEnded';
  readonly suite: string;
  readonly file: string;
  readonly result: SuiteResult;
  readonly at: number;
}

/** The outcome of one check (a condition or an assertion) on one response. */
export type CheckRecord = CheckResult;

/** One request and what came of it. */
export interface AttemptRecord {
  /** 1-based attempt number within the poll (1 for a step without polling). */
  readonly number: number;
  /** The poll's cap on attempts, when it has one. */
  readonly maxAttempts: number | undefined;
  /** Milliseconds since the step's first request. */
  readonly elapsedMs: number;
  /** The poll's overall deadline in ms, when polling. */
  readonly timeoutMs: number | undefined;
  readonly request: { readonly method: string; readonly url: string; readonly headers: Readonly<Record<string, string>>; readonly body?: string };
  readonly outcome:
    | {
        readonly _tag: 'Response';
        readonly status: number;
        /**
         * One key per header, spelled as first received: its value when received once, the list
         * of its values in order when received several times; `Set-Cookie` is always a list.
         * Never joined (see `headerRecord`).
         */
        readonly headers: Readonly<Record<string, string | readonly string[]>>;
        readonly bodyExcerpt: string;
        readonly durationMs: number;
      }
    | { readonly _tag: 'TransportError'; readonly code: string; readonly message: string };
  /** Results of the poll's conditions (empty for a step without polling). */
  readonly conditions: readonly CheckRecord[];
  /** The wait before the next attempt in ms; undefined when this attempt ends the poll. */
  readonly nextDelayMs: number | undefined;
}

/** How a step ended. */
export type StepResult =
  | { readonly _tag: 'Passed'; readonly durationMs: number; readonly attempts: number; readonly checks: readonly CheckRecord[]; readonly saved: Readonly<Record<string, Json>> }
  /** An assertion, condition, poll or plugin failure: the system under test misbehaved. */
  | { readonly _tag: 'Failed'; readonly durationMs: number; readonly attempts: number; readonly checks: readonly CheckRecord[]; readonly message: string }
  /** The step could not run as written (undefined variable, bad rendered value, missing file). */
  | { readonly _tag: 'Errored'; readonly durationMs: number; readonly message: string }
  | { readonly _tag: 'Skipped'; readonly reason: string }
  | { readonly _tag: 'Interrupted'; readonly durationMs: number; readonly reason: string };

export type TestResult =
  | { readonly _tag: 'Passed'; readonly durationMs: number }
  /** `step` names the first step that did not pass; `stepPhase` and `stepIndex` say which one it is. */
  | { readonly _tag: 'Failed'; readonly durationMs: number; readonly message: string; readonly step: string; readonly stepPhase: Phase; readonly stepIndex: number }
  | { readonly _tag: 'Skipped'; readonly reason: string }
  | { readonly _tag: 'Interrupted'; readonly durationMs: number; readonly reason: string };

export interface SuiteResult {
  readonly _tag: 'Passed' | 'Failed' | 'Interrupted';
  readonly durationMs: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly interrupted: number;
  /** Set when suite init or cleanup failed. */
  readonly message?: string;
}
