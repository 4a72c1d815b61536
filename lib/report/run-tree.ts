import type { AttemptRecord, Phase, ResumeRecord, RunEvent, StepRef, StepResult, SuiteResult, TestResult } from '../event/run-event.js';
import { createRunTally, type RunTally } from './run-tally.js';

/** A step as the reports see it: where it ran, how it ended, its attempts and its log lines. */
export interface StepNode {
  readonly name: string;
  readonly phase: Phase;
  readonly index: number;
  /** The plugin that ran it; `null` for a step that never started (skipped). */
  plugin: string | null;
  readonly line: number | null;
  /** `null` while running (or when the run was cut off before the step ended). */
  result: StepResult | null;
  /** Every attempt, in order, when the tree keeps them (`keepAttempts`); else empty. */
  readonly attempts: AttemptRecord[];
  /** `at` of each kept attempt's `AttemptMade` (when it ended), in the same order as `attempts`. */
  readonly attemptAts: number[];
  /** How many attempts were reported, kept or not. */
  attemptCount: number;
  /** The latest attempt, kept or not. */
  lastAttempt: AttemptRecord | null;
  readonly logs: string[];
  /** `at` of its `StepStarted`; `null` for a step that never started. */
  startedAt: number | null;
  /** `at` of its `StepEnded`; `null` while running. */
  endedAt: number | null;
}

export interface TestNode {
  /** The test's identity in its suite: its 0-based position in the file's `tests` list. */
  readonly index: number;
  /** Its name, as the first event about it gave it; names need not be unique. */
  readonly name: string;
  /** 1-based line of the test in the suite file; `null` when no `SuiteStarted` said it. */
  line: number | null;
  started: boolean;
  result: TestResult | null;
  readonly steps: StepNode[];
  /** `at` of its `TestStarted`; `null` for a test that never started. */
  startedAt: number | null;
  /** `at` of its `TestEnded`; `null` while running (or never reported). */
  endedAt: number | null;
  /** The queue worker that ended the test, in a distributed run. */
  worker?: string;
  /** How the test was resumed on another worker, when it was. */
  resumed?: ResumeRecord;
}

export interface SuiteNode {
  readonly name: string;
  readonly file: string;
  /** `at` of `SuiteStarted` (or of the suite's first event). */
  readonly startedAt: number;
  /** `at` of the suite's latest event. */
  lastAt: number;
  result: SuiteResult | null;
  /** Suite-level steps: `suite_init`, `suite_cleanup_on_failure` and `suite_cleanup_always`. */
  readonly steps: StepNode[];
  /** Tests in the order the suite announced them, then any it did not announce. */
  readonly tests: TestNode[];
}

/** The run folded into suites > tests > steps > attempts, for the JSON, JUnit and HTML reports. */
export interface RunTree {
  add(event: RunEvent): void;
  readonly suites: readonly SuiteNode[];
  readonly tally: RunTally;
}

/** What to keep. */
export interface RunTreeConfig {
  /** Keep every attempt of every step (the JSON report) or only the count and the last (JUnit). */
  readonly keepAttempts: boolean;
}

/**
 * Creates an empty tree that grows with each event. Attempt records are kept by reference,
 * never copied. Events may arrive in any order the runner produces (a skipped step may end
 * without starting; a test may end without starting); nodes are created when first named.
 *
 * Every node is keyed by its identity, never by its name: a suite by its file (and name), a test
 * by its position in the file (`testIndex`), a step by its test, phase and index. Two tests
 * named alike are two nodes, and so are a suite cleanup `on_failure` step and an `always` step.
 */
export function createRunTree(config: RunTreeConfig): RunTree {
  const suites: SuiteNode[] = [];
  const suiteIndex = new Map<string, { node: SuiteNode; tests: Map<number, TestNode>; steps: Map<string, StepNode> }>();
  const tally = createRunTally();

  const suiteOf = (file: string, name: string, at: number) => {
    const key = `${file}\0${name}`;
    let entry = suiteIndex.get(key);
    if (entry === undefined) {
      const node: SuiteNode = { name, file, startedAt: at, lastAt: at, result: null, steps: [], tests: [] };
      entry = { node, tests: new Map(), steps: new Map() };
      suiteIndex.set(key, entry);
      suites.push(node);
    }
    entry.node.lastAt = Math.max(entry.node.lastAt, at);
    return entry;
  };

  const testOf = (suite: ReturnType<typeof suiteOf>, index: number, name: string): TestNode => {
    let test = suite.tests.get(index);
    if (test === undefined) {
      test = { index, name, line: null, started: false, result: null, steps: [], startedAt: null, endedAt: null };
      suite.tests.set(index, test);
      suite.node.tests.push(test);
    }
    return test;
  };

  const stepOf = (ref: StepRef, at: number): StepNode => {
    const suite = suiteOf(ref.file, ref.suite, at);
    // Suite-level and test phases have distinct names, so the phase alone tells them apart.
    const key = `${ref.testIndex ?? ''}\0${ref.phase}\0${ref.index}`;
    let step = suite.steps.get(key);
    if (step === undefined) {
      step = {
        name: ref.step,
        phase: ref.phase,
        index: ref.index,
        plugin: null,
        line: ref.line ?? null,
        result: null,
        attempts: [],
        attemptAts: [],
        attemptCount: 0,
        lastAttempt: null,
        logs: [],
        startedAt: null,
        endedAt: null,
      };
      suite.steps.set(key, step);
      (ref.testIndex === undefined ? suite.node.steps : testOf(suite, ref.testIndex, ref.test ?? '').steps).push(step);
    }
    return step;
  };

  return {
    suites,
    tally,
    add(event) {
      tally.add(event);
      switch (event._tag) {
        case 'SuiteStarted': {
          const suite = suiteOf(event.ref.file, event.ref.suite, event.at);
          for (const entry of event.tests) testOf(suite, entry.index, entry.name).line = entry.line ?? null;
          return;
        }
        case 'TestStarted': {
          const test = testOf(suiteOf(event.ref.file, event.ref.suite, event.at), event.ref.testIndex, event.ref.test);
          test.started = true;
          test.startedAt = event.at;
          return;
        }
        case 'StepStarted': {
          const step = stepOf(event.ref, event.at);
          step.plugin = event.plugin;
          step.startedAt = event.at;
          return;
        }
        case 'AttemptMade': {
          const step = stepOf(event.ref, event.at);
          step.attemptCount++;
          step.lastAttempt = event.attempt;
          if (config.keepAttempts) {
            step.attempts.push(event.attempt);
            step.attemptAts.push(event.at);
          }
          return;
        }
        case 'LogEmitted':
          stepOf(event.ref, event.at).logs.push(event.message);
          return;
        case 'StepEnded': {
          const step = stepOf(event.ref, event.at);
          step.result = event.result;
          step.endedAt = event.at;
          return;
        }
        case 'TestEnded': {
          const test = testOf(suiteOf(event.ref.file, event.ref.suite, event.at), event.ref.testIndex, event.ref.test);
          test.result = event.result;
          test.endedAt = event.at;
          if (event.worker !== undefined) test.worker = event.worker;
          if (event.resumed !== undefined) test.resumed = event.resumed;
          return;
        }
        case 'SuiteEnded':
          suiteOf(event.ref.file, event.ref.suite, event.at).node.result = event.result;
          return;
      }
    },
  };
}
