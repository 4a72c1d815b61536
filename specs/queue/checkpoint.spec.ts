import { expect } from 'chai';
import { advanceCheckpoint, initialCheckpoint, resumeFrom, resumeRecord } from '../../lib/queue/checkpoint.js';
import type { RunEvent, StepRef } from '../../lib/event/run-event.js';
import type { AttemptRecord } from '../../lib/step/attempt-record.js';
import { probeTest } from '../helpers/step-env.js';

const ref = (step: string, index: number): StepRef => ({
  suite: 'S',
  file: 'f',
  test: 't',
  testIndex: 0,
  phase: 'steps',
  index,
  step,
  line: undefined,
});
const attempt = (number: number, elapsedMs: number, nextDelayMs: number | undefined): AttemptRecord => ({
  number,
  maxAttempts: undefined,
  elapsedMs,
  timeoutMs: 30_000,
  request: { method: 'GET', url: 'http://x', headers: {} },
  outcome: { _tag: 'Response', status: 200, headers: {}, bodyExcerpt: '', durationMs: 1 },
  conditions: [],
  nextDelayMs,
});

describe('checkpoint', () => {
  const events: RunEvent[] = [
    { _tag: 'TestStarted', ref: { suite: 'S', file: 'f', test: 't', testIndex: 0 }, at: 1000 },
    { _tag: 'StepStarted', ref: ref('create', 0), plugin: 'http', at: 1000 },
    {
      _tag: 'StepEnded',
      ref: ref('create', 0),
      result: { _tag: 'Passed', durationMs: 5, attempts: 1, checks: [], saved: { id: 'j1' } },
      at: 1005,
    },
    { _tag: 'StepStarted', ref: ref('wait', 1), plugin: 'http', at: 1005 },
    { _tag: 'AttemptMade', ref: ref('wait', 1), attempt: attempt(1, 10, 2000), at: 1015 },
    { _tag: 'AttemptMade', ref: ref('wait', 1), attempt: attempt(2, 2020, 2000), at: 3025 },
  ];
  const cp = events.reduce(advanceCheckpoint, initialCheckpoint('w1', { seed: 1 }));

  it('counts events, steps ended and saves, and keeps the poll as times on the clock', () => {
    expect(cp).to.deep.equal({
      worker: 'w1',
      seq: 6,
      startedAt: 1000,
      stepsEnded: 1,
      saved: { seed: 1, id: 'j1' },
      failure: undefined,
      step: { startedAt: 1005, runs: 1, requests: 2, poll: { attempts: 2, firstAttemptAt: 1005, nextSendAt: 5025 } },
      resumed: undefined,
    });
  });

  it('resumes the poll with the time gone since its first attempt and what is left of the wait', () => {
    // 1.5s after attempt 2 ended: 3520ms since the first attempt, 500ms left of the 2s wait
    expect(resumeFrom(cp, 4525)).to.deep.equal({
      startedAt: 1000,
      stepsEnded: 1,
      saved: { seed: 1, id: 'j1' },
      failure: undefined,
      step: { startedAt: 1005, retry: { runs: 1, requests: 2 }, poll: { attempts: 2, elapsedMs: 3520, nextDelayMs: 500 } },
    });
    // the wait is over by then: the next attempt goes at once
    expect(resumeFrom(cp, 9000)?.step?.poll?.nextDelayMs).to.equal(0);
  });

  it("counts the runs of the step's retry policy (a request numbered 1 after others starts one) and its requests, and resumes with them", () => {
    // run 1's poll failed after attempt 2; run 2 starts its poll: attempt 1 again, then 2
    const retried = [
      { _tag: 'AttemptMade', ref: ref('wait', 1), attempt: attempt(1, 0, 2000), at: 4000 },
      { _tag: 'AttemptMade', ref: ref('wait', 1), attempt: attempt(2, 2010, 2000), at: 6010 },
    ] satisfies RunEvent[];
    const run2 = retried.reduce(advanceCheckpoint, cp);
    expect(run2.step).to.deep.equal({
      startedAt: 1005,
      runs: 2,
      requests: 4,
      poll: { attempts: 2, firstAttemptAt: 4000, nextSendAt: 8010 },
    });
    expect(resumeFrom(run2, 7010)?.step).to.deep.equal({
      startedAt: 1005,
      retry: { runs: 2, requests: 4 },
      poll: { attempts: 2, elapsedMs: 3010, nextDelayMs: 1000 },
    });
    // a request outside a poll counts too, and leaves no poll
    const single = { ...attempt(1, 0, undefined), timeoutMs: undefined };
    const plain = [
      { _tag: 'StepStarted', ref: ref('once', 2), plugin: 'http', at: 9000 },
      { _tag: 'AttemptMade', ref: ref('once', 2), attempt: single, at: 9001 },
      { _tag: 'AttemptMade', ref: ref('once', 2), attempt: single, at: 9050 },
    ] satisfies RunEvent[];
    expect(plain.reduce(advanceCheckpoint, cp).step).to.deep.equal({ startedAt: 9000, runs: 2, requests: 2, poll: undefined });
  });

  it('records the first main step that did not pass; a test not started resumes from the beginning', () => {
    const failed = advanceCheckpoint(cp, {
      _tag: 'StepEnded',
      ref: ref('wait', 1),
      result: { _tag: 'Interrupted', durationMs: 1, reason: 'x' },
      at: 5000,
    });
    expect(failed.failure?.step).to.equal('wait');
    expect(failed.step).to.equal(undefined);
    expect(resumeFrom(initialCheckpoint('w', {}), 0)).to.equal(undefined);
  });

  it('names the resume: from which worker, at which step, after how many attempts', () => {
    const test = probeTest(
      '  - name: t\n    steps:\n      - { name: create, plugin: log, config: { message: a } }\n      - { name: wait, plugin: log, config: { message: b } }\n',
    );
    expect(resumeRecord(cp, test)).to.deep.equal({ fromWorker: 'w1', atStep: 'wait', stepPhase: 'steps', stepIndex: 1, attempt: 2 });
  });
});
