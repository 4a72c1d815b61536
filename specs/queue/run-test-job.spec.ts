import { expect } from 'chai';
import { NEVER, of } from 'rxjs';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { runTestJob, type JobProgress } from '../../lib/queue/run-test-job.js';
import type { Checkpoint } from '../../lib/queue/checkpoint.js';
import type { TestPayload } from '../../lib/queue/test-payload.js';
import { fakeHttp, fakeResponse } from '../helpers/fake-http.js';
import { inVirtualTime } from '../helpers/marbles.js';
import { probeTest } from '../helpers/step-env.js';

// One polling step that never sees `done`: each run of it makes 2 requests and fails; its retry
// policy allows 3 runs, 100 ms apart at first.
const test = probeTest(
  '  - name: t\n    steps:\n' +
    '      - name: wait\n        plugin: http\n' +
    '        config: { method: GET, url: "http://api/status", polling: { interval: 10ms, timeout: 10s, max_attempts: 2, conditions: [{ type: json_path, path: .status, expected: done }] } }\n' +
    '        retry: { initial_interval: 100ms, backoff_coefficient: 2, maximum_attempts: 3 }\n',
);
const payload: TestPayload = {
  file: '/specs/inline/rocketship.yaml',
  suite: 'S',
  suiteDir: '/specs/inline',
  test,
  testIndex: 0,
  lines: {},
  saved: {},
  vars: {},
  env: {},
  secrets: {},
  masked: [],
  sensitiveSaves: [],
};

/** Runs the job on worker `worker` in virtual time: what it emitted, and the requests it sent. */
function run(worker: string, checkpoint: Checkpoint | undefined): { progress: JobProgress[]; requests: number } {
  const progress: JobProgress[] = [];
  const http = fakeHttp(() => of(fakeResponse(200, { status: 'running' })));
  inVirtualTime((_helpers, scheduler) => {
    runTestJob(payload, checkpoint, {
      plugins: builtinPlugins(),
      http,
      scheduler,
      worker,
      interrupt$: NEVER,
      wallClock: () => scheduler.now(),
    }).subscribe((p) => progress.push(p));
  });
  return { progress, requests: http.requests.length };
}

describe('queue/run-test-job: a test resumed on another worker', () => {
  const whole = run('w1', undefined);
  // w1 stopped once it had checkpointed run 2's first request (its 3rd in all).
  const at = whole.progress.filter((p) => p.event._tag === 'AttemptMade')[2] as JobProgress;
  const resumed = run('w2', at.checkpoint);

  it('without a stop: 3 runs of the step, 2 requests each', () => {
    expect(whole.requests).to.equal(6);
    const ended = whole.progress.find((p) => p.event._tag === 'StepEnded')?.event;
    expect(ended?._tag === 'StepEnded' && ended.result._tag === 'Failed' && ended.result.retry).to.deep.equal({
      runs: 3,
      maxRuns: 3,
      requests: 6,
    });
  });

  it("continues the step's retry count: run 2 goes on, run 3 follows, nothing more; requests counted from the first run", () => {
    // run 2's second request, then run 3's two
    expect(resumed.requests).to.equal(3);
    const ended = resumed.progress.find((p) => p.event._tag === 'StepEnded')?.event;
    expect(ended?._tag === 'StepEnded' && ended.result._tag === 'Failed' && ended.result.retry).to.deep.equal({
      runs: 3,
      maxRuns: 3,
      requests: 6,
    });
  });

  it('carries resumed on every event it emits', () => {
    const record = { fromWorker: 'w1', atStep: 'wait', stepPhase: 'steps', stepIndex: 0, attempt: 1 };
    expect(resumed.progress.map((p) => p.event._tag)).to.deep.equal([
      'AttemptMade',
      'AttemptMade',
      'AttemptMade',
      'StepEnded',
      'TestEnded',
    ]);
    for (const { event } of resumed.progress) expect((event as { resumed?: unknown }).resumed, event._tag).to.deep.equal(record);
    expect(whole.progress.some(({ event }) => 'resumed' in event)).to.equal(false);
  });
});
