/**
 * Where a step sits in the lifecycle of its suite. Each step list of the file has a phase of its
 * own, so that phase + index names one step: `suite_cleanup_on_failure` step 0 and
 * `suite_cleanup_always` step 0 are two steps.
 */
export type Phase =
  'suite_init' | 'init' | 'steps' | 'cleanup_on_failure' | 'cleanup_always' | 'suite_cleanup_on_failure' | 'suite_cleanup_always';

/** What every ref says: the suite, by its file; `suite` is the suite's name, a label. */
interface SuiteOf {
  readonly suite: string;
  readonly file: string;
}

/**
 * Identifies a suite: by its file. `test`, `testIndex` and `step` are never set; they are declared
 * so that `e.ref.test` and `e.ref.step` read the same on every event of a run.
 */
export interface SuiteRef extends SuiteOf {
  readonly test?: undefined;
  readonly testIndex?: undefined;
  readonly step?: undefined;
}

/**
 * Identifies a test: its suite, and its 0-based position in the file's `tests` list. `test` is its
 * name, a label (two tests may share it).
 */
export interface TestRef extends SuiteOf {
  readonly test: string;
  readonly testIndex: number;
  readonly step?: undefined;
}

/**
 * Identifies a step: its suite (by file), its test (by position; absent for suite init and
 * cleanup), its phase and its index in that phase. Every event of a run carries one of the three
 * refs as `ref`, so `e.ref.suite`, `e.ref.test` and `e.ref.step` read the same on every event. Names are labels for people, never keys: two
 * tests, or two steps of a test, may share a name (Rocketship allows it), and the redactor may
 * mask part of a name.
 */
export interface StepRef extends SuiteOf {
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
