import { expect } from 'chai';
import { throwError } from 'rxjs';
import type { LoadedSuite } from '../../../lib/dsl/index.js';
import { TransportError } from '../../../lib/http/http-client.js';
import { attemptTimeline, type AttemptTimeline } from '../../../lib/report/html/attempt-timeline.js';
import { createRunTree, type StepNode } from '../../../lib/report/run-tree.js';
import { fakeResponse, suite } from '../../helpers/fake-http.js';
import { runVirtual, type VirtualRoute } from '../../helpers/run-virtual.js';

// The timeline is computed from what the events say (each AttemptRecord and the `at` of its
// AttemptMade), so these specs run the real runner and poll operator in virtual time (1 frame =
// 1 ms) and check the send times against the schedule the marbles imply.

/** The steps of the first test, after a virtual run. */
function steps(loaded: LoadedSuite, route: VirtualRoute): StepNode[] {
  const { events } = runVirtual(loaded, route);
  const tree = createRunTree({ keepAttempts: true });
  events.forEach(tree.add);
  return tree.suites[0]?.tests[0]?.steps ?? [];
}

function timelineOf(step: StepNode | undefined): AttemptTimeline {
  if (step === undefined) throw new Error('no such step');
  return attemptTimeline(step.attempts, step.attemptAts, step.result);
}

const brief = (t: AttemptTimeline) => t.attempts.map((a) => [a.run, a.record.number, a.sentAt, a.endedAt, a.kind]);

const poll = (extra = '') => `
name: s
tests:
  - name: t
    steps:
      - name: wait
        plugin: http
        config:
          method: GET
          url: http://api/job
          polling:
            interval: 1s
            timeout: 10s
            conditions: [{ type: json_path, path: .status, expected: done }]
            ${extra}
`;

describe('attemptTimeline', () => {
  it('places each attempt of a poll at its send time: the previous end plus its wait', () => {
    // Each response takes 100 ms; the wait is 1 s from the end of an attempt:
    // attempt 1 sent 0, ends 100; attempt 2 sent 1100, ends 1200; attempt 3 sent 2200, ends 2300.
    const [wait] = steps(suite(poll()), (_req, n, cold) =>
      cold('100ms (r|)', { r: fakeResponse(200, { status: n < 3 ? 'running' : 'done' }) }),
    );
    const timeline = timelineOf(wait);
    expect(brief(timeline)).to.deep.equal([
      [1, 1, 0, 100, 'NotYet'],
      [1, 2, 1100, 1200, 'NotYet'],
      [1, 3, 2200, 2300, 'Held'],
    ]);
    expect(timeline.runs).to.deep.equal([
      { number: 1, startedAt: 0, endedAt: 2300, deadlineAt: 10000, maxAttempts: undefined, aborted: undefined },
    ]);
  });

  it('places transport errors the same way, as transport errors', () => {
    const refused = new TransportError({ method: 'GET', url: 'http://api/job', code: 'ECONNREFUSED', detail: 'connect ECONNREFUSED' });
    const [wait] = steps(suite(poll()), (_req, n, cold) =>
      n === 1 ? throwError(() => refused) : cold('50ms (r|)', { r: fakeResponse(200, { status: 'done' }) }),
    );
    // Attempt 1 fails at once (0 ms), the wait is 1 s: attempt 2 is sent at 1000 and ends at 1050.
    expect(brief(timelineOf(wait))).to.deep.equal([
      [1, 1, 0, 0, 'Transport'],
      [1, 2, 1000, 1050, 'Held'],
    ]);
  });

  it('marks the response a fail condition held on as failed, and the ones before as not yet', () => {
    const loaded = suite(poll('fail_conditions: [{ type: json_path, path: .status, expected: failed }]'));
    const [wait] = steps(loaded, (_req, n, cold) => cold('10ms (r|)', { r: fakeResponse(200, { status: n < 2 ? 'running' : 'failed' }) }));
    expect(wait?.result?._tag).to.equal('Failed');
    expect(brief(timelineOf(wait))).to.deep.equal([
      [1, 1, 0, 10, 'NotYet'],
      [1, 2, 1010, 1020, 'Failed'],
    ]);
  });

  it('draws the request aborted at the deadline from its send time to the deadline', () => {
    // timeout 2.5 s: attempts at 0 and 1100 answer "running" (100 ms each); attempt 3, sent at
    // 2200, never answers in time and is cut off at 2500.
    const loaded = suite(poll().replace('timeout: 10s', 'timeout: 2500ms'));
    const [wait] = steps(loaded, (_req, n, cold) =>
      cold(n < 3 ? '100ms (r|)' : '10s (r|)', { r: fakeResponse(200, { status: 'running' }) }),
    );
    const timeline = timelineOf(wait);
    expect(brief(timeline)).to.deep.equal([
      [1, 1, 0, 100, 'NotYet'],
      [1, 2, 1100, 1200, 'NotYet'],
    ]);
    expect(timeline.runs[0]?.aborted).to.deep.equal({ sentAt: 2200, endedAt: 2500 });
    expect(timeline.runs[0]?.deadlineAt).to.equal(2500);
  });

  it('splits a step with retry into runs, each with its own start, its requests failed but the last', () => {
    const loaded = suite(`
name: s
tests:
  - name: t
    steps:
      - name: flaky
        plugin: http
        config: { method: GET, url: http://api/flaky }
        retry: { initial_interval: 200ms, maximum_attempts: 3, backoff_coefficient: 2 }
        assertions: [{ type: status_code, expected: 200 }]
`);
    // Each request takes 10 ms; retries wait 200 ms, then 400 ms:
    // run 1 sent 0, ends 10; run 2 sent 210, ends 220; run 3 sent 620, ends 630.
    const [flaky] = steps(loaded, (_req, n, cold) => cold('10ms (r|)', { r: fakeResponse(n < 3 ? 500 : 200) }));
    const timeline = timelineOf(flaky);
    expect(brief(timeline)).to.deep.equal([
      [1, 1, 0, 10, 'Failed'],
      [2, 1, 210, 220, 'Failed'],
      [3, 1, 620, 630, 'Held'],
    ]);
    expect(timeline.runs.map((r) => [r.number, r.startedAt, r.endedAt, r.deadlineAt])).to.deep.equal([
      [1, 0, 10, undefined],
      [2, 210, 220, undefined],
      [3, 620, 630, undefined],
    ]);
  });

  it('gives nothing for a step without requests', () => {
    expect(attemptTimeline([], [], null)).to.deep.equal({ runs: [], attempts: [] });
  });
});
