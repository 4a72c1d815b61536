import { expect } from 'chai';
import type { AttemptRecord, RunEvent, StepResult, SuiteResult } from '../../lib/event/run-event.js';
import { wholeMilliseconds } from '../../lib/report/whole-milliseconds.js';

describe('report/whole-milliseconds', () => {
  const record: AttemptRecord = {
    number: 1,
    maxAttempts: undefined,
    elapsedMs: 0,
    timeoutMs: 1.5,
    request: { method: 'GET', url: 'http://127.0.0.1/x', headers: {} },
    outcome: { _tag: 'Response', status: 200, headers: {}, bodyExcerpt: '{"latencyMs":1.5}', durationMs: 12.4567 },
    conditions: [{ _tag: 'Failed', label: 'json_path .latencyMs', matcher: 'expected', expected: 2.5, actual: 1.5 }],
    nextDelayMs: 2250.75,
  };

  it("rounds the runner's *Ms fields of an attempt, and leaves the server's data alone", () => {
    const whole = wholeMilliseconds().attempt(record);
    expect(whole).to.deep.include({ timeoutMs: 2, nextDelayMs: 2251, elapsedMs: 0 });
    expect(whole.outcome).to.deep.include({ durationMs: 12, bodyExcerpt: '{"latencyMs":1.5}' });
    expect(whole.conditions).to.equal(record.conditions);
    // The original is not changed.
    expect(record.outcome).to.have.property('durationMs', 12.4567);
  });

  it('an attempt is rounded once: the same copy under its step and in its event', () => {
    const whole = wholeMilliseconds();
    const ref = { suite: 's', file: 'f', test: 't', testIndex: 0, phase: 'steps', index: 0, step: 'x', line: 1 } as const;
    const event: RunEvent = { _tag: 'AttemptMade', ref, attempt: record, at: 5 };
    const fromEvent = whole.event(event);
    expect(fromEvent._tag === 'AttemptMade' && fromEvent.attempt).to.equal(whole.attempt(record));
  });

  it("rounds a result's and its cause's *Ms fields, and a suite's init failure", () => {
    const whole = wholeMilliseconds();
    const failed: Extract<StepResult, { _tag: 'Failed' }> = {
      _tag: 'Failed',
      durationMs: 30000.4,
      attempts: 3,
      checks: [],
      cause: {
        _tag: 'PollTimedOut',
        attempts: 3,
        elapsedMs: 29999.6,
        last: undefined,
        timeoutMs: 30000,
        stoppedBy: 'NextWait',
        inFlight: false,
        unwaitedDelayMs: 1.5,
      },
    };
    expect(whole.result(failed)).to.deep.equal({
      ...failed,
      durationMs: 30000,
      cause: { ...failed.cause, elapsedMs: 30000, unwaitedDelayMs: 2 },
    });
    const suite: SuiteResult = {
      _tag: 'Failed',
      durationMs: 7,
      passed: 0,
      failed: 0,
      skipped: 1,
      interrupted: 0,
      initFailure: { step: 's', stepIndex: 0, result: { _tag: 'Errored', durationMs: 0.3, cause: { _tag: 'Config', message: 'x' } } },
    };
    expect(whole.result(suite).initFailure?.result).to.deep.equal({
      _tag: 'Errored',
      durationMs: 0,
      cause: { _tag: 'Config', message: 'x' },
    });
  });

  it('returns what is whole already as it is', () => {
    const whole = wholeMilliseconds();
    const passed: StepResult = { _tag: 'Passed', durationMs: 3, attempts: 1, checks: [], saved: { latencyMs: 1.5 } };
    expect(whole.result(passed)).to.equal(passed);
    const log: RunEvent = {
      _tag: 'LogEmitted',
      ref: { suite: 's', file: 'f', test: undefined, testIndex: undefined, phase: 'suite_init', index: 0, step: 'l', line: undefined },
      message: 'hi',
      at: 1,
    };
    expect(whole.event(log)).to.equal(log);
  });
});
