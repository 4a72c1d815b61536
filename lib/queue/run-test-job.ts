import { connect, map, scan, zip, type Observable, type SchedulerLike } from 'rxjs';
import type { HttpClient } from '../http/http-client.js';
import type { PluginRegistry } from '../plugins/registry.js';
import type { RunEvent } from '../event/run-event.js';
import { runTest } from '../run/run-test.js';
import type { StepEnv } from '../run/run-step.js';
import { redactEvents } from '../secrets/redact-events.js';
import { suiteSecrets } from '../secrets/suite-secrets.js';
import { advanceCheckpoint, initialCheckpoint, resumeFrom, resumeRecord, type Checkpoint } from './checkpoint.js';
import { payloadPlacement, type TestPayload } from './test-payload.js';

/** What a worker runs a test with: the same engine as a local run. */
export interface TestJobRunner {
  readonly plugins: PluginRegistry;
  readonly http: HttpClient;
  readonly scheduler: SchedulerLike;
  /** This worker's name (`host/pid`), written into checkpoints and the test's events. */
  readonly worker: string;
  /** Emits (once) when the run is cancelled: the step in flight ends `Interrupted`, cleanup runs. */
  readonly interrupt$: Observable<string>;
  /** The worker's environment, under the values the payload carries (a shell script sees it). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  readonly wallClock?: (() => number) | undefined;
}

/** One event of a test run on a worker, masked, with the checkpoint that follows it. */
export interface JobProgress {
  readonly event: RunEvent;
  readonly checkpoint: Checkpoint;
}

/**
 * Runs one test of a queue job, or continues it from `checkpoint` (written by a worker that
 * stopped): the events of `runTest`, each masked (the run's secrets and what the test learns)
 * and paired with the checkpoint after it. `TestStarted` and `TestEnded` carry this worker's
 * name; every event of a continued test carries `resumed` (from which worker, at which step and
 * attempt; a continued test has no `TestStarted`). Checkpoints are made from the events before masking: they hold real saved values.
 */
export function runTestJob(payload: TestPayload, checkpoint: Checkpoint | undefined, runner: TestJobRunner): Observable<JobProgress> {
  const { scheduler, worker } = runner;
  const resume = checkpoint === undefined ? undefined : resumeFrom(checkpoint, scheduler.now());
  const resumed = checkpoint !== undefined && resume !== undefined ? resumeRecord(checkpoint, payload.test) : undefined;
  const env: StepEnv = {
    plugins: runner.plugins,
    http: runner.http,
    scheduler,
    suiteDir: payload.suiteDir,
    vars: payload.vars,
    env: Object.keys(payload.env).length === 0 ? (runner.env ?? {}) : { ...runner.env, ...payload.env },
    secrets: payload.secrets,
    interrupt$: runner.interrupt$,
    maxBodyBytes: payload.maxBodyBytes,
    wallClock: runner.wallClock,
    openapi: payload.openapi,
  };
  // A shell script gets the worker's environment: its secret-named values are masked too.
  const masked = [...payload.masked, ...suiteSecrets({ name: payload.suite, tests: [payload.test] }, { env: env.env })];
  const seed: Checkpoint =
    checkpoint === undefined || resume === undefined
      ? { ...initialCheckpoint(worker, payload.saved), seq: checkpoint?.seq ?? 0 }
      : { ...checkpoint, worker, resumed };
  const stamp = (event: RunEvent): RunEvent => {
    switch (event._tag) {
      case 'TestStarted':
        return { ...event, worker };
      case 'TestEnded':
        return { ...event, worker, ...(resumed === undefined ? {} : { resumed }) };
      case 'StepStarted':
      case 'AttemptMade':
      case 'LogEmitted':
      case 'StepEnded':
        return resumed === undefined ? event : { ...event, resumed };
      default:
        return event;
    }
  };
  return runTest(payload.test, payload.testIndex, payload.saved, env, payloadPlacement(payload), resume).pipe(
    map(stamp),
    connect((events$) =>
      zip(
        events$.pipe(redactEvents({ secrets: masked, sensitiveSaves: { names: new Set(payload.sensitiveSaves) }, scheduler })),
        events$.pipe(scan(advanceCheckpoint, seed)),
      ),
    ),
    map(([event, next]) => ({ event, checkpoint: next })),
  );
}
