import type { Observable } from 'rxjs';
import type { Json } from '../json.js';
import type { LoadedSuite, Test } from '../dsl/index.js';
import type { RunEvent } from '../event/run-event.js';
import type { SequenceState } from './run-sequence.js';
import type { StepEnv } from './run-step.js';
import { runTest, type Placement } from './run-test.js';

/**
 * One test for a {@link TestExecutor} to run: the test, where it sits, and everything the suite
 * gives it once its `init` has run.
 */
export interface TestJob {
  /** The suite the test belongs to (its file, its source, its line numbers). */
  readonly loaded: LoadedSuite;
  readonly test: Test;
  /** The test's position in the file's `tests`: its identity. */
  readonly testIndex: number;
  /** The variables suite `init` saved. */
  readonly saved: Readonly<Record<string, Json>>;
  /** What a step needs: plugins, HTTP, scheduler, vars, env, secrets, `interrupt$` (emits once when the run is interrupted). */
  readonly env: StepEnv;
  readonly placement: Placement;
}

/**
 * Where a suite's tests run. `runSuite` runs suite `init` and `cleanup` itself and hands each
 * test to its executor, whose Observable must emit what `runTest` emits (`TestStarted` ...
 * `TestEnded`, exactly one of each), end every step it started, honour `env.interrupt$` as
 * `runTest` does (the step in flight ends `Interrupted`, cleanup runs) and stop the test at once
 * when unsubscribed. The default runs the test in this process ({@link localExecutor});
 * `queueExecutor` runs it on a queue worker.
 */
export interface TestExecutor {
  readonly runTest: (job: TestJob) => Observable<RunEvent>;
  /**
   * How a suite's `init` is done, when the executor has a say (optional; without it, init runs
   * here, as `init$` does). `init$` is init as `runSuite` would run it: cold, one state per
   * event (see `runSequence`); the Observable returned gives the states `runSuite` goes on with,
   * and the last one's saves and failure decide the tests. `queueExecutor` records init's
   * outcome in Redis before any test is enqueued; attached to a run (`run --attach`), it replays
   * the recorded outcome instead of subscribing to `init$`, so init never runs twice.
   */
  readonly suiteInit?: (loaded: LoadedSuite, init$: Observable<SequenceState>) => Observable<SequenceState>;
}

/** Runs each test in this process, with `runTest`: the default executor. */
export const localExecutor: TestExecutor = {
  runTest: ({ test, testIndex, saved, env, placement }) => runTest(test, testIndex, saved, env, placement),
};
