import { expect } from 'chai';
import { from, tap } from 'rxjs';
import { jsonReporter, type JsonReport } from '../../lib/report/json.js';
import type { RunEvent } from '../../lib/event/run-event.js';
import { VERSION } from '../../lib/version.js';
import {
  FILE,
  POLL_MESSAGE,
  check,
  SUITE,
  concurrentSuite,
  failingSuite,
  inFile,
  initFailedSuite,
  interruptedSuite,
  passingSuite,
} from './fixtures.js';

function report(events: readonly RunEvent[], version?: string): JsonReport {
  const reporter = jsonReporter(version === undefined ? {} : { version });
  for (const event of events) reporter.next(event);
  reporter.complete();
  return JSON.parse(reporter.render()) as JsonReport;
}

// What an event looks like after a trip through JSON (fields set to undefined disappear).
const viaJson = <A>(value: A): A => JSON.parse(JSON.stringify(value)) as A;

describe('jsonReporter', () => {
  it('renders pretty JSON that parses back, with the tool, version, times and summary', () => {
    const reporter = jsonReporter();
    passingSuite().forEach(reporter.next);
    const text = reporter.render();
    expect(text).to.match(/^\{\n {2}"tool": "rocketship-rx",\n/);
    expect(text.endsWith('}\n')).to.equal(true);
    const parsed = JSON.parse(text) as JsonReport;
    expect(parsed).to.include({
      tool: 'rocketship-rx',
      version: VERSION,
      startedAt: '2025-01-01T12:00:00.000Z',
      finishedAt: '2025-01-01T12:00:01.300Z',
      durationMs: 1300,
    });
    expect(parsed.summary).to.deep.equal({ passed: 1, failed: 0, skipped: 0, interrupted: 0, errors: 0, started: true });
  });

  it('nests suites > tests > steps > attempts, every attempt kept in order', () => {
    const [suite] = report(passingSuite()).suites;
    expect(suite).to.include({ name: SUITE, file: FILE });
    expect(suite?.result).to.deep.equal({ _tag: 'Passed', durationMs: 1300, passed: 1, failed: 0, skipped: 0, interrupted: 0 });
    expect(suite?.steps).to.deep.equal([]);
    const [test] = suite?.tests ?? [];
    expect(test).to.deep.include({ name: 'Job Processing', index: 0, line: 3 });
    expect(test?.result).to.deep.equal({ _tag: 'Passed', durationMs: 1300 });
    expect(test?.steps.map((s) => [s.name, s.phase, s.index, s.plugin, s.result?._tag, s.attempts.length])).to.deep.equal([
      ['Create job', 'steps', 0, 'http', 'Passed', 1],
      ['Announce', 'steps', 1, 'log', 'Passed', 0],
      ['Wait for job completion', 'steps', 2, 'http', 'Passed', 4],
    ]);
    const wait = test?.steps[2];
    expect(wait?.attempts.map((a) => [a.number, a.maxAttempts, a.elapsedMs, a.timeoutMs, a.nextDelayMs])).to.deep.equal([
      [1, 30, 0, 300_000, 400],
      [2, 30, 400, 300_000, 400],
      [3, 30, 800, 300_000, 400],
      [4, 30, 1200, 300_000, undefined], // the last attempt has no next wait
    ]);
    expect(wait?.attempts[3]).not.to.have.property('nextDelayMs');
    expect(wait?.attempts[0]?.conditions).to.deep.equal([
      { _tag: 'Failed', label: 'json_path .status', matcher: 'expected', expected: 'completed', actual: 'running' },
    ]);
    expect(wait?.attempts[3]?.outcome).to.deep.include({ _tag: 'Response', status: 200, bodyExcerpt: '{"status":"completed"}' });
    expect(test?.steps[1]?.logs).to.deep.equal(['job 42 created']);
  });

  it('keeps every event, in order, as received', () => {
    const events = [...passingSuite(), ...inFile(failingSuite(), 'b.yaml', 'B')];
    expect(report(events).events).to.deep.equal(viaJson(events));
  });

  it('reports a failed poll, the skipped step (never started: plugin null) and cleanup phases', () => {
    const parsed = report(failingSuite());
    expect(parsed.summary).to.deep.equal({ passed: 1, failed: 1, skipped: 0, interrupted: 0, errors: 0, started: true });
    const [deployment, health] = parsed.suites[0]?.tests ?? [];
    expect(deployment?.result).to.deep.equal({
      _tag: 'Failed',
      durationMs: 2050,
      step: 'Wait for rollout',
      stepPhase: 'steps',
      stepIndex: 0,
      cause: { _tag: 'PluginFailed', message: POLL_MESSAGE },
      message: POLL_MESSAGE,
    });
    expect(deployment?.steps.map((s) => [s.name, s.phase, s.plugin, s.result?._tag, s.attempts.length])).to.deep.equal([
      ['Wait for rollout', 'steps', 'http', 'Failed', 3],
      ['Check version', 'steps', null, 'Skipped', 0],
      ['Dump logs', 'cleanup_on_failure', 'log', 'Passed', 0],
      ['Delete deployment', 'cleanup_always', 'http', 'Passed', 1],
    ]);
    expect(deployment?.steps[1]?.result).to.deep.equal({ _tag: 'Skipped', reason: 'step "Wait for rollout" failed' });
    expect(deployment?.steps[2]?.logs).to.deep.equal(['deployment stuck\nsee dashboard']);
    expect(health?.result?._tag).to.equal('Passed');
  });

  it('puts suite init and cleanup steps on the suite, and the skipped tests with their reason', () => {
    const [suite] = report(initFailedSuite()).suites;
    expect(suite?.steps.map((s) => [s.name, s.phase, s.result?._tag])).to.deep.equal([
      ['Log in', 'suite_init', 'Failed'],
      ['Drop fixtures', 'suite_cleanup_always', 'Passed'],
    ]);
    expect(suite?.tests.map((t) => [t.name, t.result, t.steps.length])).to.deep.equal([
      ['One', { _tag: 'Skipped', reason: 'suite init step "Log in" did not pass' }, 0],
      ['Two', { _tag: 'Skipped', reason: 'suite init step "Log in" did not pass' }, 0],
    ]);
    // The suite's result says which init step failed, as data and as the console's message.
    expect(suite?.result?.initFailure).to.deep.include({ step: 'Log in', stepIndex: 0 });
    expect(suite?.result?.initFailure?.result).to.deep.include({
      _tag: 'Failed',
      cause: { _tag: 'Assertions', failed: [check('Failed', 'status_code', 200, 401)] },
    });
    expect(suite?.result?.message).to.equal(
      'suite init step "Log in" did not pass: 1 assertion failed:\n  status_code: expected 200, actual 401',
    );
  });

  it('reports an interrupted run', () => {
    const parsed = report(interruptedSuite());
    expect(parsed.summary).to.deep.equal({ passed: 0, failed: 0, skipped: 1, interrupted: 1, errors: 0, started: true });
    expect(parsed.suites[0]?.tests[0]?.steps[0]?.result).to.deep.equal({
      _tag: 'Interrupted',
      durationMs: 1500,
      reason: 'interrupted (SIGINT)',
    });
  });

  it('renders mid-run: whatever has not ended has result null, and the document still parses', () => {
    const events = concurrentSuite().slice(0, 9); // both polling, A's second attempt in
    const parsed = report(events);
    const [suite] = parsed.suites;
    expect(suite?.result).to.equal(null);
    expect(suite?.tests.map((t) => [t.name, t.result, t.steps[0]?.result, t.steps[0]?.attempts.length])).to.deep.equal([
      ['A', null, null, 2],
      ['B', null, null, 1],
    ]);
    expect(parsed.events).to.have.length(9);
    expect(parsed.summary).to.deep.equal({ passed: 0, failed: 0, skipped: 0, interrupted: 0, errors: 0, started: true });
  });

  it('renders an empty run', () => {
    expect(report([])).to.deep.equal({
      tool: 'rocketship-rx',
      version: VERSION,
      startedAt: null,
      finishedAt: null,
      durationMs: 0,
      summary: { passed: 0, failed: 0, skipped: 0, interrupted: 0, errors: 0, started: true },
      errors: [],
      suites: [],
      events: [],
    });
  });

  it('keeps suites of several files apart, in the order they started', () => {
    const parsed = report([...inFile(passingSuite(), 'a.yaml', 'A'), ...inFile(failingSuite(), 'b.yaml', 'B')]);
    expect(parsed.suites.map((s) => [s.name, s.file, s.result?._tag])).to.deep.equal([
      ['A', 'a.yaml', 'Passed'],
      ['B', 'b.yaml', 'Failed'],
    ]);
    expect(parsed.summary).to.deep.equal({ passed: 2, failed: 1, skipped: 0, interrupted: 0, errors: 0, started: true });
  });

  it('takes the version to write', () => {
    expect(report(passingSuite(), '9.9.9').version).to.equal('9.9.9');
  });

  it('works with tap(reporter) and with a virtual clock starting at 0', () => {
    const reporter = jsonReporter();
    from(failingSuite()).pipe(tap(reporter)).subscribe();
    const parsed = JSON.parse(reporter.render()) as JsonReport;
    expect(parsed.startedAt).to.equal(new Date(0).toISOString());
    expect(parsed.durationMs).to.equal(2060);
    expect(parsed.events).to.have.length(failingSuite().length);
  });

  it('escapes what JSON must escape: control characters and quotes round-trip', () => {
    const events = passingSuite().map((event) =>
      event._tag === 'LogEmitted' ? { ...event, message: 'quote " backslash \\ nul \u0000 esc \x1b lone \uD800' } : event,
    );
    const step = report(events).suites[0]?.tests[0]?.steps[1];
    expect(step?.logs).to.deep.equal(['quote " backslash \\ nul \u0000 esc \x1b lone \uD800']);
  });
});
