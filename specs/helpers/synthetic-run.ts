import type { AttemptRecord, CheckRecord, RunEvent, StepRef } from '../../lib/event/run-event.js';

/** Options of {@link syntheticRun}. */
export interface SyntheticRunConfig {
  /** Tests in the run. */
  readonly tests: number;
  /** Attempts of each test's polling step. */
  readonly attemptsPerTest: number;
  /** Tests at once (they run in waves of this many). Default 8. */
  readonly concurrency?: number;
  /** Every n-th test fails on a fail condition. Default 50. */
  readonly failEvery?: number;
}

/**
 * The events of a large run, shaped like the runner's, for the HTML report's scale spec and
 * benchmark: each test submits a job (1 request), polls it (`attemptsPerTest` requests, 250 ms
 * apart, with bodies that change on every attempt, as a progress counter does) and reads the
 * result (1 request); every `failEvery`-th test's poll ends on a fail condition, and every
 * 7th attempt is a refused connection. Tests run `concurrency` at once.
 *
 * syntheticRun({ tests: 5000, attemptsPerTest: 20 })   // 5,000 tests, 110,000 AttemptMade events
 */
export function syntheticRun(config: SyntheticRunConfig): RunEvent[] {
  const concurrency = config.concurrency ?? 8;
  const failEvery = config.failEvery ?? 50;
  const file = '/work/suites/large/rocketship.yaml';
  const suite = 'A large run';
  const events: RunEvent[] = [];
  const names = Array.from({ length: config.tests }, (_, i) => `Job ${i + 1}: submit, poll until done, read the result`);
  events.push({
    _tag: 'SuiteStarted',
    ref: { suite, file },
    tests: names.map((name, index) => ({ index, name, line: 5 + index * 30 })),
    at: 0,
  });
  const testMs = 200 + config.attemptsPerTest * 260 + 100;
  for (let i = 0; i < config.tests; i++) {
    const name = names[i] as string;
    const t0 = Math.floor(i / concurrency) * testMs + (i % concurrency) * 7;
    const ref = (step: string, index: number): StepRef => ({
      suite,
      file,
      test: name,
      testIndex: i,
      phase: 'steps',
      index,
      step,
      line: 8 + i * 30 + index * 8,
    });
    const fails = (i + 1) % failEvery === 0;
    events.push({ _tag: 'TestStarted', ref: { suite, file, test: name, testIndex: i }, at: t0 });
    const submit = ref('Submit the job', 0);
    events.push({ _tag: 'StepStarted', ref: submit, plugin: 'http', at: t0 });
    events.push({
      _tag: 'AttemptMade',
      ref: submit,
      attempt: request(1, 'POST', `/jobs`, 202, `{"job_id":"job-${i}","status":"queued"}`, 40, [], undefined),
      at: t0 + 40,
    });
    events.push({
      _tag: 'StepEnded',
      ref: submit,
      result: { _tag: 'Passed', durationMs: 40, attempts: 1, checks: [], saved: { job_id: `job-${i}` } },
      at: t0 + 40,
    });
    const poll = ref('Wait for the job', 1);
    const p0 = t0 + 50;
    events.push({ _tag: 'StepStarted', ref: poll, plugin: 'http', at: p0 });
    let ended = p0;
    for (let n = 1; n <= config.attemptsPerTest; n++) {
      const last = n === config.attemptsPerTest;
      const status = last ? (fails ? 'failed' : 'done') : 'running';
      const sent = (n - 1) * 260;
      const elapsed = sent + 10;
      const refused = !last && n % 7 === 0;
      const conditions: CheckRecord[] = [
        {
          _tag: status === 'done' ? 'Passed' : 'Failed',
          label: 'json_path .status',
          matcher: 'expected',
          expected: 'done',
          actual: status,
        },
      ];
      const attempt: AttemptRecord = refused
        ? {
            ...request(n, 'GET', `/jobs/job-${i}`, 0, '', 0, [], last ? undefined : 250),
            outcome: { _tag: 'TransportError', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:8787' },
            elapsedMs: sent,
          }
        : {
            ...request(
              n,
              'GET',
              `/jobs/job-${i}`,
              200,
              `{"job_id":"job-${i}","status":"${status}","progress":${Math.round((100 * n) / config.attemptsPerTest)}}`,
              10,
              conditions,
              last ? undefined : 250,
            ),
            elapsedMs: elapsed,
          };
      ended = p0 + (refused ? sent : elapsed);
      events.push({ _tag: 'AttemptMade', ref: poll, attempt: { ...attempt, maxAttempts: 100, timeoutMs: 60_000 }, at: ended });
    }
    const pollMs = ended - p0;
    if (fails) {
      const failedCheck: CheckRecord = {
        _tag: 'Passed',
        label: 'json_path .status',
        matcher: 'expected',
        expected: 'failed',
        actual: 'failed',
      };
      const cause = {
        _tag: 'FailCondition' as const,
        attempts: config.attemptsPerTest,
        elapsedMs: pollMs,
        last: { _tag: 'Response' as const, number: config.attemptsPerTest, status: 200, conditions: [], body: '{"status":"failed"}' },
        condition: 'json_path .status',
        held: [failedCheck],
      };
      events.push({
        _tag: 'StepEnded',
        ref: poll,
        result: { _tag: 'Failed', durationMs: pollMs, attempts: config.attemptsPerTest, checks: [], cause },
        at: ended,
      });
      const read = ref('Read the result', 2);
      events.push({ _tag: 'StepEnded', ref: read, result: { _tag: 'Skipped', reason: 'step "Wait for the job" failed' }, at: ended });
      events.push({
        _tag: 'TestEnded',
        ref: { suite, file, test: name, testIndex: i },
        result: { _tag: 'Failed', durationMs: ended - t0, cause, step: 'Wait for the job', stepPhase: 'steps', stepIndex: 1 },
        at: ended,
      });
      continue;
    }
    events.push({
      _tag: 'StepEnded',
      ref: poll,
      result: { _tag: 'Passed', durationMs: pollMs, attempts: config.attemptsPerTest, checks: [], saved: {} },
      at: ended,
    });
    const read = ref('Read the result', 2);
    events.push({ _tag: 'StepStarted', ref: read, plugin: 'http', at: ended });
    events.push({
      _tag: 'AttemptMade',
      ref: read,
      attempt: request(1, 'GET', `/jobs/job-${i}/result`, 200, `{"words":${i % 97}}`, 20, [], undefined),
      at: ended + 20,
    });
    events.push({
      _tag: 'StepEnded',
      ref: read,
      result: { _tag: 'Passed', durationMs: 20, attempts: 1, checks: [], saved: {} },
      at: ended + 20,
    });
    events.push({
      _tag: 'TestEnded',
      ref: { suite, file, test: name, testIndex: i },
      result: { _tag: 'Passed', durationMs: ended + 20 - t0 },
      at: ended + 20,
    });
  }
  const last = events.reduce((m, e) => Math.max(m, e.at), 0);
  const failed = Math.floor(config.tests / failEvery);
  events.push({
    _tag: 'SuiteEnded',
    ref: { suite, file },
    result: { _tag: failed > 0 ? 'Failed' : 'Passed', durationMs: last, passed: config.tests - failed, failed, skipped: 0, interrupted: 0 },
    at: last,
  });
  return events;
}

function request(
  number: number,
  method: string,
  path: string,
  status: number,
  body: string,
  durationMs: number,
  conditions: readonly CheckRecord[],
  nextDelayMs: number | undefined,
): AttemptRecord {
  return {
    number,
    maxAttempts: undefined,
    elapsedMs: durationMs,
    timeoutMs: undefined,
    request: { method, url: `http://127.0.0.1:8787${path}`, headers: { accept: 'application/json', 'user-agent': 'rocketship-rx' } },
    outcome: {
      _tag: 'Response',
      status,
      headers: { 'content-type': 'application/json', 'content-length': String(body.length), date: 'Wed, 03 Dec 2025 17:00:00 GMT' },
      bodyExcerpt: body,
      durationMs,
    },
    conditions,
    nextDelayMs,
  };
}
