import type {
  AttemptMade,
  AttemptRecord,
  CheckRecord,
  LogEmitted,
  Phase,
  RunEvent,
  StepEnded,
  StepRef,
  StepResult,
  StepStarted,
  SuiteStarted,
  TestEnded,
  TestResult,
  TestStarted,
} from '../../lib/event/run-event.js';
import type { StepFailure } from '../../lib/step/step-failure.js';

// Hand-made event sequences shaped like the runner's, for the reporter specs.

export const SUITE = 'Async Operations';
export const FILE = 'examples/async-operations/rocketship.yaml';
/** 2025-01-01T12:00:00Z: a real-run clock, to see timestamps in reports. */
export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

/** A test of a fixture suite: its name and its position in the suite's `tests`. */
export interface TestId {
  readonly name: string;
  readonly index: number;
}

/** The tests of a suite, positioned in order: `tests('A', 'B')` is A at 0 and B at 1. */
export function tests(...names: string[]): TestId[] {
  return names.map((name, index) => ({ name, index }));
}

export function ref(test: TestId | undefined, step: string, index = 0, phase: Phase = 'steps'): StepRef {
  return { suite: SUITE, file: FILE, test: test?.name, testIndex: test?.index, phase, index, step, line: 10 + index };
}

/** A failed test's result, naming its failing step. */
export function failedAt(step: StepRef, durationMs: number, message: string): TestResult {
  return { _tag: 'Failed', durationMs, step: step.step, stepPhase: step.phase, stepIndex: step.index, cause: failure(message) };
}

/** A failure known by its message only (as a plugin of a user's reports it). */
export function failure(message: string): StepFailure {
  return { _tag: 'PluginFailed', message };
}

export function check(
  tag: 'Passed' | 'Failed',
  label: string,
  expected: CheckRecord['expected'],
  actual: CheckRecord['actual'],
): CheckRecord {
  return { _tag: tag, label, matcher: 'expected', expected, actual };
}

export interface AttemptOptions {
  readonly max?: number;
  readonly elapsed?: number;
  readonly timeout?: number;
  readonly status?: number;
  readonly next?: number | undefined;
  readonly body?: string;
  readonly conditions?: readonly CheckRecord[];
  readonly transportError?: string;
}

export function attempt(n: number, o: AttemptOptions = {}): AttemptRecord {
  return {
    number: n,
    maxAttempts: o.max,
    elapsedMs: o.elapsed ?? 0,
    timeoutMs: o.timeout,
    request: {
      method: 'GET',
      url: 'http://127.0.0.1:3000/jobs/42',
      headers: { accept: 'application/json', authorization: 'Bearer s3cret' },
    },
    outcome:
      o.transportError === undefined
        ? {
            _tag: 'Response',
            status: o.status ?? 200,
            headers: { 'content-type': 'application/json' },
            bodyExcerpt: o.body ?? '{"status":"running"}',
            durationMs: 12,
          }
        : { _tag: 'TransportError', code: o.transportError, message: `connect ${o.transportError} 127.0.0.1:3000` },
    conditions: o.conditions ?? [],
    nextDelayMs: o.next,
  };
}

export const suiteStarted = (all: readonly TestId[], at: number): SuiteStarted => ({
  _tag: 'SuiteStarted',
  ref: { suite: SUITE, file: FILE },
  tests: all.map(({ name, index }) => ({ index, name, line: 3 + 5 * index })),
  at,
});
export const testStarted = (test: TestId, at: number): TestStarted => ({
  _tag: 'TestStarted',
  ref: { suite: SUITE, file: FILE, test: test.name, testIndex: test.index },
  at,
});
export const stepStarted = (r: StepRef, at: number, plugin = 'http'): StepStarted => ({ _tag: 'StepStarted', ref: r, plugin, at });
export const attemptMade = (r: StepRef, a: AttemptRecord, at: number): AttemptMade => ({ _tag: 'AttemptMade', ref: r, attempt: a, at });
export const logEmitted = (r: StepRef, message: string, at: number): LogEmitted => ({ _tag: 'LogEmitted', ref: r, message, at });
export const stepEnded = (r: StepRef, result: StepResult, at: number): StepEnded => ({ _tag: 'StepEnded', ref: r, result, at });
export const testEnded = (test: TestId, result: TestResult, at: number): TestEnded => ({
  _tag: 'TestEnded',
  ref: { suite: SUITE, file: FILE, test: test.name, testIndex: test.index },
  result,
  at,
});

export const passed = (durationMs: number, attempts = 1): StepResult => ({ _tag: 'Passed', durationMs, attempts, checks: [], saved: {} });

/**
 * One test, all green: a request, a log, and a poll that passes on its 4th attempt after 1.2s.
 * Times are T0 + ms.
 */
export function passingSuite(): RunEvent[] {
  const [t] = tests('Job Processing') as [TestId];
  const create = ref(t, 'Create job', 0);
  const announce = ref(t, 'Announce', 1);
  const wait = ref(t, 'Wait for job completion', 2);
  const running = (n: number, elapsed: number) =>
    attempt(n, {
      max: 30,
      elapsed,
      timeout: 300_000,
      next: 400,
      conditions: [check('Failed', 'json_path .status', 'completed', 'running')],
    });
  return [
    suiteStarted([t], T0),
    testStarted(t, T0),
    stepStarted(create, T0),
    attemptMade(create, attempt(1, { status: 201, body: '{"id":42}' }), T0 + 35),
    stepEnded(create, passed(35), T0 + 35),
    stepStarted(announce, T0 + 35, 'log'),
    logEmitted(announce, 'job 42 created', T0 + 35),
    stepEnded(announce, passed(0, 0), T0 + 35),
    stepStarted(wait, T0 + 100),
    attemptMade(wait, running(1, 0), T0 + 100),
    attemptMade(wait, running(2, 400), T0 + 500),
    attemptMade(wait, running(3, 800), T0 + 900),
    attemptMade(
      wait,
      attempt(4, {
        max: 30,
        elapsed: 1200,
        timeout: 300_000,
        body: '{"status":"completed"}',
        conditions: [check('Passed', 'json_path .status', 'completed', 'completed')],
      }),
      T0 + 1300,
    ),
    stepEnded(wait, passed(1200, 4), T0 + 1300),
    testEnded(t, { _tag: 'Passed', durationMs: 1300 }, T0 + 1300),
    {
      _tag: 'SuiteEnded',
      ref: { suite: SUITE, file: FILE },
      result: { _tag: 'Passed', durationMs: 1300, passed: 1, failed: 0, skipped: 0, interrupted: 0 },
      at: T0 + 1300,
    },
  ];
}

export const POLL_MESSAGE = 'polling exceeded maximum attempts (3)\n  json_path .status: expected "ready", actual "rolling"';

/**
 * A poll that fails after 3 attempts; the next step is skipped; cleanup on failure and always
 * run; a second test passes. One failed, one passed.
 */
export function failingSuite(): RunEvent[] {
  const [d, h] = tests('Deployment', 'Health') as [TestId, TestId];
  const wait = ref(d, 'Wait for rollout', 0);
  const version = ref(d, 'Check version', 1);
  const dump = ref(d, 'Dump logs', 0, 'cleanup_on_failure');
  const del = ref(d, 'Delete deployment', 0, 'cleanup_always');
  const ping = ref(h, 'Ping', 0);
  const rolling = (n: number, next: number | undefined) =>
    attempt(n, {
      max: 3,
      elapsed: (n - 1) * 1000,
      timeout: 10_000,
      next,
      body: '{"status":"rolling"}',
      conditions: [check('Failed', 'json_path .status', 'ready', 'rolling')],
    });
  return [
    suiteStarted([d, h], 0),
    testStarted(d, 0),
    stepStarted(wait, 0),
    attemptMade(wait, rolling(1, 1000), 0),
    attemptMade(wait, rolling(2, 1000), 1000),
    attemptMade(wait, rolling(3, undefined), 2000),
    stepEnded(wait, { _tag: 'Failed', durationMs: 2000, attempts: 3, checks: [], cause: failure(POLL_MESSAGE) }, 2000),
    stepEnded(version, { _tag: 'Skipped', reason: 'step "Wait for rollout" failed' }, 2000),
    stepStarted(dump, 2000, 'log'),
    logEmitted(dump, 'deployment stuck\nsee dashboard', 2000),
    stepEnded(dump, passed(0, 0), 2000),
    stepStarted(del, 2000),
    attemptMade(del, attempt(1, { status: 204, body: '' }), 2050),
    stepEnded(del, passed(50), 2050),
    testEnded(d, failedAt(wait, 2050, POLL_MESSAGE), 2050),
    testStarted(h, 2050),
    stepStarted(ping, 2050),
    attemptMade(ping, attempt(1), 2060),
    stepEnded(ping, passed(10), 2060),
    testEnded(h, { _tag: 'Passed', durationMs: 10 }, 2060),
    {
      _tag: 'SuiteEnded',
      ref: { suite: SUITE, file: FILE },
      result: { _tag: 'Failed', durationMs: 2060, passed: 1, failed: 1, skipped: 0, interrupted: 0 },
      at: 2060,
    },
  ];
}

/** Interrupted (SIGINT) during a poll: the step and test are interrupted, cleanup still runs. */
export function interruptedSuite(): RunEvent[] {
  const [t, never] = tests('Long job', 'Never started') as [TestId, TestId];
  const wait = ref(t, 'Wait', 0);
  const clean = ref(t, 'Cancel job', 0, 'cleanup_always');
  return [
    suiteStarted([t, never], 0),
    testStarted(t, 0),
    stepStarted(wait, 0),
    attemptMade(wait, attempt(1, { max: 10, timeout: 60_000, next: 2000 }), 0),
    stepEnded(wait, { _tag: 'Interrupted', durationMs: 1500, reason: 'interrupted (SIGINT)' }, 1500),
    stepStarted(clean, 1500),
    attemptMade(clean, attempt(1, { status: 204, body: '' }), 1520),
    stepEnded(clean, passed(20), 1520),
    testEnded(t, { _tag: 'Interrupted', durationMs: 1520, reason: 'interrupted (SIGINT)' }, 1520),
    testEnded(never, { _tag: 'Skipped', reason: 'run interrupted' }, 1520),
    {
      _tag: 'SuiteEnded',
      ref: { suite: SUITE, file: FILE },
      result: { _tag: 'Interrupted', durationMs: 1520, passed: 0, failed: 0, skipped: 1, interrupted: 1 },
      at: 1520,
    },
  ];
}

/** Two tests polling at the same time, their events interleaved as a concurrent run emits them. */
export function concurrentSuite(): RunEvent[] {
  const [A, B] = tests('A', 'B') as [TestId, TestId];
  const a = ref(A, 'Poll A', 0);
  const b = ref(B, 'Poll B', 0);
  const poll = (n: number, next: number | undefined) => attempt(n, { max: 5, elapsed: (n - 1) * 500, timeout: 5000, next });
  return [
    suiteStarted([A, B], 0),
    testStarted(A, 0),
    testStarted(B, 0),
    stepStarted(a, 0),
    stepStarted(b, 0),
    attemptMade(a, poll(1, 500), 0),
    attemptMade(b, poll(1, 500), 0),
    logEmitted(b, 'b is waiting', 10),
    attemptMade(a, poll(2, undefined), 500),
    stepEnded(a, passed(500, 2), 500),
    attemptMade(b, poll(2, 500), 500),
    testEnded(A, { _tag: 'Passed', durationMs: 500 }, 500),
    attemptMade(b, poll(3, undefined), 1000),
    stepEnded(
      b,
      { _tag: 'Errored', durationMs: 1000, cause: { _tag: 'Config', message: 'undefined variable "job_id"\navailable: api_url' } },
      1000,
    ),
    testEnded(B, failedAt(b, 1000, 'undefined variable "job_id"\navailable: api_url'), 1000),
    {
      _tag: 'SuiteEnded',
      ref: { suite: SUITE, file: FILE },
      result: { _tag: 'Failed', durationMs: 1000, passed: 1, failed: 1, skipped: 0, interrupted: 0 },
      at: 1000,
    },
  ];
}

/** Suite init fails: every test is skipped with the reason; suite cleanup runs. */
export function initFailedSuite(): RunEvent[] {
  const login = ref(undefined, 'Log in', 0, 'suite_init');
  const drop = ref(undefined, 'Drop fixtures', 0, 'suite_cleanup_always');
  const [one, two] = tests('One', 'Two') as [TestId, TestId];
  const reason = 'suite init step "Log in" did not pass';
  const loginFailed: StepResult = {
    _tag: 'Failed',
    durationMs: 30,
    attempts: 1,
    checks: [],
    cause: { _tag: 'Assertions', failed: [check('Failed', 'status_code', 200, 401)] },
  };
  return [
    suiteStarted([one, two], 0),
    stepStarted(login, 0),
    attemptMade(login, attempt(1, { status: 401, body: '{"error":"bad credentials"}' }), 30),
    stepEnded(login, loginFailed, 30),
    testEnded(one, { _tag: 'Skipped', reason }, 30),
    testEnded(two, { _tag: 'Skipped', reason }, 30),
    stepStarted(drop, 30),
    stepEnded(drop, passed(5), 35),
    {
      _tag: 'SuiteEnded',
      ref: { suite: SUITE, file: FILE },
      result: {
        _tag: 'Failed',
        durationMs: 35,
        passed: 0,
        failed: 0,
        skipped: 2,
        interrupted: 0,
        initFailure: { step: 'Log in', stepIndex: 0, result: loginFailed },
      },
      at: 35,
    },
  ];
}

/** The same events as if from another suite file (a run of several files). */
export function inFile(events: readonly RunEvent[], file: string, suite: string): RunEvent[] {
  return events.map((event) => ({ ...event, ref: { ...event.ref, file, suite } })) as RunEvent[];
}
