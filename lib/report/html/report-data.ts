import type { Json } from '../../json.js';
import { writeJson } from '../../json-text.js';
import type { AttemptRecord, StepResult, SuiteResult, TestResult } from '../../event/run-event.js';
import { formatStepProblem } from '../../step/format-step-problem.js';
import { suiteMessage, unpassedMessage } from '../result-message.js';
import type { RunErrorEntry } from '../run-error.js';
import type { RunTree, StepNode, SuiteNode, TestNode } from '../run-tree.js';
import { attemptTimeline, type AttemptKind } from './attempt-timeline.js';
import { createStringTable, type StringTable } from './string-table.js';

/** The version of the layout below; the page reads only this one. */
export const REPORT_DATA_FORMAT = 1;

/**
 * How deep server data (check values, saved values) is written: deeper parts are elided, as
 * in the JSON report (`MAX_REPORT_DEPTH`).
 */
export const MAX_DATA_DEPTH = 100;

/** A test's or a step's status as the page shows it; `running` is one the run was cut off in. */
export type ReportStatus = 'passed' | 'failed' | 'errored' | 'skipped' | 'interrupted' | 'running';

/**
 * The data the HTML report embeds and its page draws: the run tree, with every time in ms since
 * the run's first event and server data (requests, responses, check values, saved values) stored
 * once each in `strings` and referred to by index.
 */
export interface ReportData {
  readonly format: typeof REPORT_DATA_FORMAT;
  readonly tool: 'rocketship-rx';
  readonly version: string;
  /** ISO 8601 time of the run's first event, or `null` (no event, or a clock that is not a date). */
  readonly startedAt: string | null;
  readonly durationMs: number;
  /** Tests by status (as the list shows them), `errors` the entries of `errors`; `started` false when no suite ran. */
  readonly summary: {
    readonly total: number;
    readonly passed: number;
    readonly failed: number;
    readonly errored: number;
    readonly skipped: number;
    readonly interrupted: number;
    readonly errors: number;
    readonly started: boolean;
  };
  /** What stopped the run or kept it from starting. */
  readonly errors: readonly RunErrorEntry[];
  /** Distinct texts referred to by index from attempts, checks and saved values. */
  readonly strings: readonly string[];
  readonly suites: readonly ReportSuite[];
}

export interface ReportSuite {
  readonly name: string;
  readonly file: string;
  readonly status: ReportStatus;
  /** Why a suite init did not pass, when one did not. */
  readonly message?: string;
  readonly start: number;
  readonly end: number;
  /** Suite init and cleanup steps. */
  readonly steps: readonly ReportStep[];
  readonly tests: readonly ReportTest[];
}

export interface ReportTest {
  readonly name: string;
  /** Position in the file's `tests`: its identity. */
  readonly index: number;
  readonly line: number | null;
  readonly status: ReportStatus;
  /** The failure text of its failing step, or why it was skipped or interrupted. */
  readonly message?: string;
  /** Index in `steps` of the step that failed it. */
  readonly failedStep?: number;
  /** `null` for a test that never started. */
  readonly start: number | null;
  readonly end: number | null;
  readonly durationMs: number | null;
  readonly steps: readonly ReportStep[];
}

export interface ReportStep {
  readonly name: string;
  readonly phase: string;
  readonly index: number;
  readonly plugin: string | null;
  readonly line: number | null;
  readonly status: ReportStatus;
  /** The failure or error text, or why it was skipped or interrupted. */
  readonly message?: string;
  /** The `_tag` of its failure or error (`PollTimedOut`, `Assertions`, `Config`, ...). */
  readonly cause?: string;
  readonly start: number | null;
  readonly end: number | null;
  readonly durationMs: number | null;
  /** `strings` index of the JSON text of its check results (`CheckRecord[]`), or -1. */
  readonly checks: number;
  /** `strings` index of the JSON text of its saved values, or -1. */
  readonly saved: number;
  readonly logs: readonly string[];
  /** How its `retry` policy ran it, when it has one of more than one run. */
  readonly retry?: { readonly runs: number; readonly maxRuns: number; readonly requests: number };
  readonly runs: readonly ReportRun[];
  readonly attempts: readonly AttemptTuple[];
}

/** One run of a step (a poll, or a single request). */
export interface ReportRun {
  readonly start: number;
  readonly end: number;
  /** The poll's deadline, or `null` without polling. */
  readonly deadline: number | null;
  readonly maxAttempts: number | null;
  /** When the request aborted at the deadline was sent (it ended at `deadline`), or `null`. */
  readonly aborted: number | null;
}

/**
 * One attempt, as a list (100,000 of them must stay small). Positions:
 *
 * | # | what |
 * |---|---|
 * | 0 | attempt number in its run |
 * | 1 | run number (1-based) |
 * | 2 | sent at |
 * | 3 | ended at |
 * | 4 | wait before the next attempt, -1 for none |
 * | 5 | kind: 0 conditions held, 1 not yet, 2 transport error, 3 failed (see `AttemptKind`) |
 * | 6 | `strings` index of the request's JSON text (`{ method, url, headers, body? }`) |
 * | 7 | response status, -1 for a transport error |
 * | 8 | response time, -1 for a transport error |
 * | 9 | `strings` index of the response headers' JSON text, or of the transport error's code |
 * | 10 | `strings` index of the start of the response body, or of the transport error's message |
 * | 11 | `strings` index of the JSON text of the poll's condition results, -1 for none |
 */
export type AttemptTuple = readonly [number, number, number, number, number, number, number, number, number, number, number, number];

/** Options of {@link reportData}. */
export interface ReportDataConfig {
  readonly version: string;
  /** Run errors given to the reporter. */
  readonly errors: readonly RunErrorEntry[];
  /** Whether any suite started. */
  readonly started: boolean;
  /** Masks secrets in any value, deeply (`Redactor.redact`); applied to every part before it is written. Default: none. */
  readonly redact?: (<A>(value: A) => A) | undefined;
}

const KIND_CODES: Readonly<Record<AttemptKind, number>> = { Held: 0, NotYet: 1, Transport: 2, Failed: 3 };

/** The tags of `StepError`: a test whose failing step is one of them errored rather than failed. */
const STEP_ERROR_TAGS: ReadonlySet<string> = new Set(['Config', 'UnknownPlugin', 'Internal']);

/**
 * The run tree (built with `keepAttempts`) as the HTML report's data. Secrets are masked with
 * `redact` first (the values the run learned late, as the other reports are masked again when
 * rendered), so the texts stored are masked JSON, never JSON text masked after the fact.
 */
export function reportData(tree: RunTree, config: ReportDataConfig): ReportData {
  const redact = config.redact ?? (<A>(value: A): A => value);
  const span = tree.tally.span();
  const t0 = span?.firstAt ?? 0;
  const rel = (at: number | null): number | null => (at === null ? null : round(at - t0));
  const strings = createStringTable();
  // Server data of any depth (check values, saved values): written iteratively, elided past MAX_DATA_DEPTH.
  const json = (value: unknown): number => strings.id(writeJson(value as Json, { maxDepth: MAX_DATA_DEPTH }).text);
  // Requests and header maps are one level of strings: JSON.stringify is safe, and 5x faster.
  const flat = (value: object): number => strings.id(JSON.stringify(value));

  const step = (node: StepNode): ReportStep => {
    const { name, result, attempts, logs } = redact({ name: node.name, result: node.result, attempts: node.attempts, logs: node.logs });
    const timeline = attemptTimeline(attempts, node.attemptAts, result);
    const checks = result !== null && (result._tag === 'Passed' || result._tag === 'Failed') ? result.checks : [];
    return {
      name,
      phase: node.phase,
      index: node.index,
      plugin: node.plugin,
      line: node.line,
      status: stepStatus(node.startedAt, result),
      ...stepMessage(result),
      start: rel(node.startedAt),
      end: rel(node.endedAt),
      durationMs: result !== null && 'durationMs' in result ? round(result.durationMs) : null,
      checks: checks.length === 0 ? -1 : json(checks),
      saved: result?._tag === 'Passed' && Object.keys(result.saved).length > 0 ? json(result.saved) : -1,
      logs,
      ...(result !== null && 'retry' in result && result.retry !== undefined ? { retry: result.retry } : {}),
      runs: timeline.runs.map((run) => ({
        start: round(run.startedAt - t0),
        end: round(run.endedAt - t0),
        deadline: run.deadlineAt === undefined ? null : round(run.deadlineAt - t0),
        maxAttempts: run.maxAttempts ?? null,
        aborted: run.aborted === undefined ? null : round(run.aborted.sentAt - t0),
      })),
      attempts: timeline.attempts.map((a) =>
        attemptTuple(a.record, a.run, a.sentAt - t0, a.endedAt - t0, KIND_CODES[a.kind], { strings, json, flat }),
      ),
    };
  };

  const test = (node: TestNode): ReportTest => {
    const { name, result } = redact({ name: node.name, result: node.result });
    const steps = node.steps.map(step);
    const failedStep =
      result?._tag === 'Failed' ? node.steps.findIndex((s) => s.phase === result.stepPhase && s.index === result.stepIndex) : -1;
    return {
      name,
      index: node.index,
      line: node.line,
      status: testStatus(node.startedAt !== null || node.started, result, steps[failedStep]),
      ...testMessage(node.started, result),
      ...(failedStep < 0 ? {} : { failedStep }),
      start: rel(node.startedAt),
      end: rel(node.endedAt),
      durationMs: result !== null && 'durationMs' in result ? round(result.durationMs) : null,
      steps,
    };
  };

  const suite = (node: SuiteNode): ReportSuite => {
    const { name, file, result } = redact({ name: node.name, file: node.file, result: node.result });
    const message = result === null ? undefined : suiteMessage(result);
    return {
      name,
      file,
      status: suiteStatus(result),
      ...(message === undefined ? {} : { message }),
      start: round(node.startedAt - t0),
      end: round(node.lastAt - t0),
      steps: node.steps.map(step),
      tests: node.tests.map(test),
    };
  };

  const suites = tree.suites.map(suite);
  const counts = { passed: 0, failed: 0, errored: 0, skipped: 0, interrupted: 0 };
  let total = 0;
  for (const s of suites)
    for (const t of s.tests) {
      total += 1;
      counts[t.status === 'running' ? 'interrupted' : t.status] += 1;
    }
  return {
    format: REPORT_DATA_FORMAT,
    tool: 'rocketship-rx',
    version: config.version,
    startedAt: span === undefined ? null : isoTime(span.firstAt),
    durationMs: span === undefined ? 0 : round(span.lastAt - span.firstAt),
    summary: { total, ...counts, errors: config.errors.length, started: config.started },
    errors: config.errors,
    strings: strings.strings,
    suites,
  };
}

function attemptTuple(
  a: AttemptRecord,
  run: number,
  sentAt: number,
  endedAt: number,
  kind: number,
  ids: { readonly strings: StringTable; readonly json: (value: unknown) => number; readonly flat: (value: object) => number },
): AttemptTuple {
  const { strings, json, flat } = ids;
  const { request, outcome } = a;
  const requestId = flat({
    method: request.method,
    url: request.url,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const conditions = a.conditions.length === 0 ? -1 : json(a.conditions);
  const next = a.nextDelayMs === undefined ? -1 : round(a.nextDelayMs);
  return outcome._tag === 'Response'
    ? [
        a.number,
        run,
        round(sentAt),
        round(endedAt),
        next,
        kind,
        requestId,
        outcome.status,
        round(outcome.durationMs),
        json(outcome.headers),
        strings.id(outcome.bodyExcerpt),
        conditions,
      ]
    : [
        a.number,
        run,
        round(sentAt),
        round(endedAt),
        next,
        kind,
        requestId,
        -1,
        -1,
        strings.id(outcome.code),
        strings.id(outcome.message),
        conditions,
      ];
}

function stepStatus(startedAt: number | null, result: StepResult | null): ReportStatus {
  if (result === null) return startedAt === null ? 'skipped' : 'running';
  return LOWER[result._tag];
}

function stepMessage(result: StepResult | null): { message?: string; cause?: string } {
  if (result === null) return {};
  switch (result._tag) {
    case 'Failed':
    case 'Errored':
      return { message: formatStepProblem(result.cause), cause: result.cause._tag };
    case 'Interrupted':
      return { message: unpassedMessage(result) };
    case 'Skipped':
      return { message: result.reason };
    case 'Passed':
      return {};
  }
}

function testStatus(started: boolean, result: TestResult | null, failing: ReportStep | undefined): ReportStatus {
  if (result === null) return started ? 'running' : 'skipped';
  if (result._tag !== 'Failed') return LOWER[result._tag];
  return failing?.status === 'errored' || STEP_ERROR_TAGS.has(result.cause._tag) ? 'errored' : 'failed';
}

function testMessage(started: boolean, result: TestResult | null): { message?: string } {
  if (result === null) return { message: started ? 'the run stopped before this test ended' : 'never ran' };
  switch (result._tag) {
    case 'Failed':
      return { message: formatStepProblem(result.cause) };
    case 'Skipped':
    case 'Interrupted':
      return { message: result.reason };
    case 'Passed':
      return {};
  }
}

function suiteStatus(result: SuiteResult | null): ReportStatus {
  return result === null ? 'running' : LOWER[result._tag];
}

const LOWER = {
  Passed: 'passed',
  Failed: 'failed',
  Errored: 'errored',
  Skipped: 'skipped',
  Interrupted: 'interrupted',
} as const;

/** Times to a tenth of a millisecond: whole numbers for a real clock, and short text for fractions. */
function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function isoTime(at: number): string | null {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
