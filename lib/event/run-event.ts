import type { Json } from '../json.js';
import type { AttemptRecord, CheckRecord } from '../step/attempt-record.js';
import type { Phase, StepRef, SuiteRef, TestRef } from '../step/step-ref.js';
import type { StepError, StepFailure, StepProblem } from '../step/step-failure.js';

export type { AttemptRecord, CheckRecord } from '../step/attempt-record.js';
export type { Phase, StepRef, SuiteRef, TestRef } from '../step/step-ref.js';

/**
 * The events a run emits, in order. Reporters (console, JSON, JUnit) are folds over this stream;
 * the runner never imports a reporter. Every event carries `at`: milliseconds on the run's
 * scheduler clock (virtual time in marble specs).
 */
export type RunEvent = SuiteStarted | TestStarted | StepStarted | AttemptMade | LogEmitted | StepEnded | TestEnded | SuiteEnded;

/** A test as `SuiteStarted` announces it: its position (its identity in the suite) and its name. */
export interface TestEntry {
  /** 0-based position in the file's `tests` list (the same number as `ref.testIndex` on its events). */
  readonly index: number;
  /** Its name: a label, not necessarily unique. */
  readonly name: string;
  /** 1-based line of the test in the suite file, when known. */
  readonly line: number | undefined;
}

export interface SuiteStarted {
  readonly _tag: 'SuiteStarted';
  readonly ref: SuiteRef;
  /** The tests that will run or be reported (after `only`), in file order. */
  readonly tests: readonly TestEntry[];
  readonly at: number;
}

export interface TestStarted {
  readonly _tag: 'TestStarted';
  /** The test's identity in its suite is `ref.testIndex`, its 0-based position in the file's `tests` list. */
  readonly ref: TestRef;
  readonly at: number;
  /** The queue worker that started the test (`host/pid`); absent when it ran in the run's own process. */
  readonly worker?: string;
}

/**
 * A test that a queue worker continued after the worker running it stopped (killed, or handed it
 * back on SIGTERM): which worker that was, the step it was at, and how many attempts of that
 * step's poll had been made (0 between steps or outside a poll).
 */
export interface ResumeRecord {
  readonly fromWorker: string;
  /** The step that was running, or the next one to run: its name, phase and index. */
  readonly atStep: string;
  readonly stepPhase: Phase;
  readonly stepIndex: number;
  readonly attempt: number;
}

export interface StepStarted {
  readonly _tag: 'StepStarted';
  readonly ref: StepRef;
  readonly plugin: string;
  readonly at: number;
  /** Set when a queue worker resumed the test (its worker stopped): on every event it sent of the test. */
  readonly resumed?: ResumeRecord;
}

/** One HTTP request of a step (every request, polled or not), with its check results. */
export interface AttemptMade {
  readonly _tag: 'AttemptMade';
  readonly ref: StepRef;
  readonly attempt: AttemptRecord;
  readonly at: number;
  /** Set when a queue worker resumed the test (its worker stopped): on every event it sent of the test. */
  readonly resumed?: ResumeRecord;
}

export interface LogEmitted {
  readonly _tag: 'LogEmitted';
  readonly ref: StepRef;
  readonly message: string;
  readonly at: number;
  /** Set when a queue worker resumed the test (its worker stopped): on every event it sent of the test. */
  readonly resumed?: ResumeRecord;
}

export interface StepEnded {
  readonly _tag: 'StepEnded';
  readonly ref: StepRef;
  readonly result: StepResult;
  readonly at: number;
  /** Set when a queue worker resumed the test (its worker stopped): on every event it sent of the test. */
  readonly resumed?: ResumeRecord;
}

export interface TestEnded {
  readonly _tag: 'TestEnded';
  readonly ref: TestRef;
  readonly result: TestResult;
  readonly at: number;
  /** The queue worker that ended the test (`host/pid`); absent when it ran in the run's own process. */
  readonly worker?: string;
  /** Set when a queue worker resumed the test (its worker stopped): the last resume, as on the test's other events from then on. */
  readonly resumed?: ResumeRecord;
}

export interface SuiteEnded {
  readonly _tag: 'SuiteEnded';
  readonly ref: SuiteRef;
  readonly result: SuiteResult;
  readonly at: number;
}

/**
 * How a step with a `retry` policy ran, over all its runs: `passed on run 2 of 3, 4 requests`.
 * Present on a `Passed` or `Failed` result exactly when the policy allows more than one run.
 */
export interface RetryRecord {
  /** Runs of the step made, the first included (1 when it passed, or failed for good, at once). */
  readonly runs: number;
  /** The policy's `maximum_attempts`: the most runs it allows. */
  readonly maxRuns: number;
  /** Requests (attempts, `AttemptMade` events) made in all runs; 0 for a step that sends none. */
  readonly requests: number;
}

/** How a step ended. `attempts` counts the requests (or runs) of its last run; `retry`, those of all its runs. */
export type StepResult =
  | {
      readonly _tag: 'Passed';
      readonly durationMs: number;
      readonly attempts: number;
      readonly checks: readonly CheckRecord[];
      readonly saved: Readonly<Record<string, Json>>;
      readonly retry?: RetryRecord;
    }
  /** An assertion, condition, poll or plugin failure: the system under test misbehaved. `cause` says which, with its data. */
  | {
      readonly _tag: 'Failed';
      readonly durationMs: number;
      readonly attempts: number;
      readonly checks: readonly CheckRecord[];
      readonly cause: StepFailure;
      readonly retry?: RetryRecord;
    }
  /** The step could not run as written (undefined variable, bad rendered value, missing file). */
  | { readonly _tag: 'Errored'; readonly durationMs: number; readonly cause: StepError }
  | { readonly _tag: 'Skipped'; readonly reason: string }
  | { readonly _tag: 'Interrupted'; readonly durationMs: number; readonly reason: string };

/** How a step ended when it did not pass and was not skipped. */
export type UnpassedStep = Extract<StepResult, { readonly _tag: 'Failed' | 'Errored' | 'Interrupted' }>;

export type TestResult =
  | { readonly _tag: 'Passed'; readonly durationMs: number }
  /**
   * `step` names the first step that did not pass (a label); `stepPhase` and `stepIndex` say which
   * one it is; `cause` is that step's failure or error.
   */
  | {
      readonly _tag: 'Failed';
      readonly durationMs: number;
      readonly cause: StepProblem;
      readonly step: string;
      readonly stepPhase: Phase;
      readonly stepIndex: number;
    }
  | { readonly _tag: 'Skipped'; readonly reason: string }
  | { readonly _tag: 'Interrupted'; readonly durationMs: number; readonly reason: string };

export interface SuiteResult {
  readonly _tag: 'Passed' | 'Failed' | 'Interrupted';
  readonly durationMs: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly interrupted: number;
  /** Set when a suite `init` step did not pass (the tests were then skipped): which one, and why. */
  readonly initFailure?: { readonly step: string; readonly stepIndex: number; readonly result: UnpassedStep };
}
