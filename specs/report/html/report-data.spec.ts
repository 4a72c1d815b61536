import { expect } from 'chai';
import type { RunEvent } from '../../../lib/event/run-event.js';
import { reportData, type ReportData } from '../../../lib/report/html/report-data.js';
import { createRunTree } from '../../../lib/report/run-tree.js';
import { createRedactor } from '../../../lib/secrets/create-redactor.js';
import {
  T0,
  attempt,
  attemptMade,
  check,
  concurrentSuite,
  failingSuite,
  inFile,
  initFailedSuite,
  interruptedSuite,
  passingSuite,
  ref,
  stepEnded,
  stepStarted,
  suiteStarted,
  testEnded,
  testStarted,
  tests,
  type TestId,
} from '../fixtures.js';

function dataOf(events: readonly RunEvent[], config: Partial<Parameters<typeof reportData>[1]> = {}): ReportData {
  const tree = createRunTree({ keepAttempts: true });
  events.forEach(tree.add);
  return reportData(tree, { version: '9.9.9', errors: [], started: true, ...config });
}

const shift = (events: readonly RunEvent[], by: number): RunEvent[] => events.map((e) => ({ ...e, at: e.at + by }));

describe('reportData', () => {
  it('counts tests by status, telling a test whose step could not run (errored) from one that failed', () => {
    const data = dataOf([...failingSuite(), ...inFile(shift(concurrentSuite(), 3000), 'b.yaml', 'B')]);
    const statuses = data.suites.flatMap((s) => s.tests.map((t) => [t.name, t.status]));
    expect(statuses).to.deep.include.members([
      ['Deployment', 'failed'],
      ['Health', 'passed'],
      ['A', 'passed'],
      ['B', 'errored'],
    ]);
    expect(data.summary).to.include({ passed: 2, failed: 1, errored: 1, skipped: 0, interrupted: 0, errors: 0, started: true });
  });

  it('says why a test was skipped or interrupted, and points a failed test at its failing step', () => {
    const interrupted = dataOf(interruptedSuite()).suites[0]?.tests ?? [];
    expect(interrupted.map((t) => [t.name, t.status, t.message, t.start])).to.deep.equal([
      ['Long job', 'interrupted', 'interrupted (SIGINT)', 0],
      ['Never started', 'skipped', 'run interrupted', null],
    ]);
    const [deployment] = dataOf(failingSuite()).suites[0]?.tests ?? [];
    expect(deployment?.failedStep).to.equal(0);
    expect(deployment?.steps.map((s) => [s.phase, s.name, s.status])).to.deep.equal([
      ['steps', 'Wait for rollout', 'failed'],
      ['steps', 'Check version', 'skipped'],
      ['cleanup_on_failure', 'Dump logs', 'passed'],
      ['cleanup_always', 'Delete deployment', 'passed'],
    ]);
    expect(deployment?.steps[2]?.logs).to.deep.equal(['deployment stuck\nsee dashboard']);
  });

  it('keeps a suite init failure on the suite, with its message', () => {
    const [suite] = dataOf(initFailedSuite()).suites;
    expect(suite?.message).to.match(/^suite init step "Log in" did not pass: 1 assertion failed:/);
    expect(suite?.steps.map((s) => [s.phase, s.status, s.cause])).to.deep.equal([
      ['suite_init', 'failed', 'Assertions'],
      ['suite_cleanup_always', 'passed', undefined],
    ]);
    expect(suite?.tests.map((t) => t.status)).to.deep.equal(['skipped', 'skipped']);
  });

  it('writes times in ms since the run started, whatever the clock', () => {
    const data = dataOf(passingSuite());
    expect(data.startedAt).to.equal(new Date(T0).toISOString());
    expect(data.durationMs).to.equal(1300);
    const wait = data.suites[0]?.tests[0]?.steps[2];
    // [number, run, sent, ended]: the poll started at +100 ms; each wait is 400 ms.
    expect(wait?.attempts.map((a) => [a[0], a[1], a[2], a[3]])).to.deep.equal([
      [1, 1, 100, 100],
      [2, 1, 500, 500],
      [3, 1, 900, 900],
      [4, 1, 1300, 1300],
    ]);
    expect(wait?.runs).to.deep.equal([{ start: 100, end: 1300, deadline: 300_100, maxAttempts: 30, aborted: null }]);
    expect(data.suites[0]?.tests[0]).to.include({ start: 0, end: 1300, durationMs: 1300 });
  });

  it('stores each distinct request, header set and body once, however many attempts repeat them', () => {
    const [t] = tests('Poll') as [TestId];
    const wait = ref(t, 'Wait', 0);
    const events: RunEvent[] = [suiteStarted([t], 0), testStarted(t, 0), stepStarted(wait, 0)];
    for (let n = 1; n <= 500; n++)
      events.push(
        attemptMade(
          wait,
          attempt(n, {
            elapsed: n * 10,
            next: n < 500 ? 10 : undefined,
            conditions: [check('Failed', 'json_path .status', 'done', 'running')],
          }),
          n * 10,
        ),
      );
    events.push(stepEnded(wait, { _tag: 'Passed', durationMs: 5000, attempts: 500, checks: [], saved: {} }, 5000));
    events.push(testEnded(t, { _tag: 'Passed', durationMs: 5000 }, 5000));
    const data = dataOf(events);
    const step = data.suites[0]?.tests[0]?.steps[0];
    expect(step?.attempts).to.have.length(500);
    // One request, one header set, one body, one condition list.
    expect(data.strings).to.have.length(4);
    expect(new Set(step?.attempts.map((a) => a[6]))).to.have.property('size', 1);
  });

  it('masks with redact before writing anything as text: server data, saved values, names, logs', () => {
    const secret = 'tok-<late>-1234';
    const [t] = tests(`Login ${secret}`) as [TestId];
    const login = ref(t, 'Login', 0);
    const events: RunEvent[] = [
      suiteStarted([t], 0),
      testStarted(t, 0),
      stepStarted(login, 0),
      attemptMade(login, attempt(1, { body: JSON.stringify({ token: secret }) }), 10),
      { _tag: 'LogEmitted', ref: login, message: `token is ${secret}`, at: 10 },
      stepEnded(
        login,
        {
          _tag: 'Passed',
          durationMs: 10,
          attempts: 1,
          checks: [check('Passed', 'json_path .token', secret, secret)],
          saved: { token: secret },
        },
        10,
      ),
      testEnded(t, { _tag: 'Passed', durationMs: 10 }, 10),
    ];
    const redactor = createRedactor({ secrets: [secret] });
    const text = JSON.stringify(dataOf(events, { redact: (v) => redactor.redact(v) }));
    expect(text).not.to.include('tok-');
    expect(text).to.include('***');
  });

  it('elides server data nested deeper than 100 levels instead of failing', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const [t] = tests('Deep') as [TestId];
    const s = ref(t, 'Save', 0);
    const data = dataOf([
      suiteStarted([t], 0),
      testStarted(t, 0),
      stepStarted(s, 0),
      stepEnded(s, { _tag: 'Passed', durationMs: 1, attempts: 1, checks: [], saved: { deep: deep as never } }, 1),
      testEnded(t, { _tag: 'Passed', durationMs: 1 }, 1),
    ]);
    const saved = data.strings[data.suites[0]?.tests[0]?.steps[0]?.saved ?? -1] ?? '';
    expect(saved).to.include('more levels of nesting, not shown');
    expect(() => JSON.parse(saved) as unknown).not.to.throw();
  });
});
