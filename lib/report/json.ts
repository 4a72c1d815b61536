import { formatStepProblem } from '../step/format-step-problem.js';
import { suiteMessage } from './result-message.js';
import type { Json } from '../json.js';
import { writeJson } from '../json-text.js';
import type { AttemptRecord, Phase, ResumeRecord, RunEvent, StepResult, SuiteResult, TestResult } from '../event/run-event.js';
import { VERSION } from '../version.js';
import type { DocumentReporter } from './reporter.js';
import { createRunTree, type StepNode } from './run-tree.js';
import { runErrorOf, type RunErrorEntry } from './run-error.js';
import { wholeMilliseconds, type WholeMilliseconds } from './whole-milliseconds.js';

/**
 * How deep the JSON report goes: values nested deeper (a saved or checked response body of
 * thousands of levels) are written as `"… (N more levels of nesting, not shown)"`.
 */
export const MAX_REPORT_DEPTH = 100;

/** Options of the JSON report. */
export interface JsonReporterConfig {
  /** The version written in the report. Default: the package's. */
  readonly version?: string;
}

/** The document `render()` returns, parsed: `JSON.parse(reporter.render()) as JsonReport`. */
export interface JsonReport {
  readonly tool: 'rocketship-rx';
  readonly version: string;
  /** ISO 8601 time of the first event (`at` on the run's clock), or `null` for an empty run. */
  readonly startedAt: string | null;
  /** ISO 8601 time of the last event, or `null`. */
  readonly finishedAt: string | null;
  /** Every `*Ms` field of the report is whole milliseconds (see `wholeMilliseconds`). */
  readonly durationMs: number;
  /**
   * Tests by outcome, as in the console's summary; `errors` counts the entries of `errors`, and
   * `started` is false when no suite ran (bad input, a usage error): all counts are then 0, which
   * does not mean the run passed.
   */
  readonly summary: {
    readonly passed: number;
    readonly failed: number;
    readonly skipped: number;
    readonly interrupted: number;
    readonly errors: number;
    readonly started: boolean;
  };
  /** What stopped the run or kept it from starting (see `RunError`); empty when nothing did. */
  readonly errors: readonly RunErrorEntry[];
  readonly suites: readonly JsonSuite[];
  /** Every event, in the order received. */
  readonly events: readonly RunEvent[];
}

/**
 * A result as the report writes it: its data (a failure's `cause` is tagged data, e.g.
 * `{ "_tag": "PollTimedOut", "timeoutMs": 30000, ... }`) and, for one that did not pass, the
 * `message` the console shows for it.
 */
export type WithMessage<R> = R & { readonly message?: string };

export interface JsonSuite {
  readonly name: string;
  readonly file: string;
  /** `null` when the run stopped before the suite ended. */
  readonly result: WithMessage<SuiteResult> | null;
  /** Suite-level steps (`suite_init`, `suite_cleanup_on_failure`, `suite_cleanup_always`). */
  readonly steps: readonly JsonStep[];
  readonly tests: readonly JsonTest[];
}

export interface JsonTest {
  /** Its name; not necessarily unique in its suite (Rocketship allows two tests of one name). */
  readonly name: string;
  /** The test's identity in its suite: its 0-based position in the file's `tests` list. */
  readonly index: number;
  /** 1-based line of the test in the suite file, when known. */
  readonly line: number | null;
  /** `null` when the test never ended (cut off) or never ran without being reported. */
  readonly result: WithMessage<TestResult> | null;
  readonly steps: readonly JsonStep[];
  /** The queue worker that ended the test (`host/pid`); only in a distributed run (`run --redis`). */
  readonly worker?: string;
  /** Set when the test was resumed on another worker (its worker stopped): from which one, at which step and attempt. */
  readonly resumed?: ResumeRecord;
}

/** A step; `phase` and `index` (with its test's `index`) are its identity, `name` a label. */
export interface JsonStep {
  readonly name: string;
  readonly phase: Phase;
  /** 0-based index within its phase. */
  readonly index: number;
  readonly plugin: string | null;
  readonly line: number | null;
  readonly result: WithMessage<StepResult> | null;
  /** Every request the step made, with its outcome and check results. */
  readonly attempts: readonly AttemptRecord[];
  readonly logs: readonly string[];
}

/**
 * Collects the run into one JSON document: every suite, test and step with its result and all
 * its attempts, and the raw event list. A run that stopped on an error, or never started (the
 * reporter's `error()` was given a `RunError`, e.g. for a suite file that does not decode),
 * lists its problems in `errors`, and `summary.started` says whether any suite ran.
 *
 * Each node carries its identity: a suite its `file`, a test its `index` in the file's `tests`
 * (and its `line`), a step its `phase` and `index`. Names are labels and may repeat: two tests
 * named alike are two entries, told apart by `index`. Programs should key on those, not names.
 *
 * Memory: each event is stored once, in the event list; the tree refers to the same attempt
 * objects rather than copying them. (The rendered text does repeat each attempt: once under its
 * step, once as its `AttemptMade` event.) `render()` works at any time, so an interrupted run
 * still gets a report, with `result: null` on whatever had not ended.
 *
 * @example
 * const json = jsonReporter();
 * runSuite(suite, options).pipe(tap(json)).subscribe({ complete: () => writeFileSync('report.json', json.render()) });
 * // {
 * //   "tool": "rocketship-rx", "version": "0.1.0", "startedAt": "2025-01-01T12:00:00.000Z", ...
 * //   "suites": [{ "name": "Async Operations", "file": "...", "result": { "_tag": "Passed", ... },
 * //                "tests": [{ "name": "Job Processing", "index": 0, "line": 4, "result": ...,
 * //                            "steps": [{ "name": "Wait", "phase": "steps", "index": 0, "attempts": [...] }] }] }],
 * //   "events": [{ "_tag": "SuiteStarted", ... }, ...]
 * // }
 */
export function jsonReporter(config: JsonReporterConfig = {}): DocumentReporter {
  const tree = createRunTree({ keepAttempts: true });
  const events: RunEvent[] = [];
  const errors: RunErrorEntry[] = [];
  let started = true;
  return {
    next(event) {
      events.push(event);
      tree.add(event);
    },
    error(error) {
      const stopped = runErrorOf(error);
      errors.push(...stopped.entries);
      if (!stopped.started) started = false;
    },
    complete() {},
    render() {
      const span = tree.tally.span();
      const whole = wholeMilliseconds();
      const jsonStep = (step: StepNode): JsonStep => ({
        name: step.name,
        phase: step.phase,
        index: step.index,
        plugin: step.plugin,
        line: step.line,
        result: step.result === null ? null : withStepMessage(step.result, whole),
        attempts: step.attempts.map(whole.attempt),
        logs: step.logs,
      });
      const report: JsonReport = {
        tool: 'rocketship-rx',
        version: config.version ?? VERSION,
        startedAt: span === undefined ? null : isoTime(span.firstAt),
        finishedAt: span === undefined ? null : isoTime(span.lastAt),
        durationMs: span === undefined ? 0 : Math.round(span.lastAt - span.firstAt),
        summary: { ...tree.tally.totals(), errors: errors.length, started },
        errors,
        suites: tree.suites.map((suite) => ({
          name: suite.name,
          file: suite.file,
          result: suite.result === null ? null : withSuiteMessage(suite.result, whole),
          steps: suite.steps.map(jsonStep),
          tests: suite.tests.map((test) => ({
            name: test.name,
            index: test.index,
            line: test.line,
            result: test.result === null ? null : withTestMessage(test.result, whole),
            steps: test.steps.map(jsonStep),
            ...(test.worker === undefined ? {} : { worker: test.worker }),
            ...(test.resumed === undefined ? {} : { resumed: test.resumed }),
          })),
        })),
        events: events.map(whole.event),
      };
      // Written iteratively, with values nested deeper than MAX_REPORT_DEPTH elided (and said so):
      // a saved response body 100,000 levels deep would make JSON.stringify throw, and most JSON
      // readers refuse such depth anyway.
      return `${writeJson(report as unknown as Json, { indent: 2, maxDepth: MAX_REPORT_DEPTH }).text}\n`;
    },
  };
}

// The message is made from the result as it was; the data is written in whole milliseconds.
function withStepMessage(result: StepResult, whole: WholeMilliseconds): WithMessage<StepResult> {
  const data = whole.result(result);
  return result._tag === 'Failed' || result._tag === 'Errored' ? { ...data, message: formatStepProblem(result.cause) } : data;
}

function withTestMessage(result: TestResult, whole: WholeMilliseconds): WithMessage<TestResult> {
  const data = whole.result(result);
  return result._tag === 'Failed' ? { ...data, message: formatStepProblem(result.cause) } : data;
}

function withSuiteMessage(result: SuiteResult, whole: WholeMilliseconds): WithMessage<SuiteResult> {
  const data = whole.result(result);
  const message = suiteMessage(result);
  return message === undefined ? data : { ...data, message };
}

// `at` is the scheduler's clock: epoch milliseconds in a real run, small numbers in virtual time.
function isoTime(at: number): string | null {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
