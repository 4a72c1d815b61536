import { from, concat, defer, EMPTY, filter, map, NEVER, tap, type Observable } from 'rxjs';
import type { Json } from '../json.js';
import type { Step, Test } from '../dsl/index.js';
import type { Phase, RunEvent, TestResult } from './run-event.js';
import { runSequence, type PlacedStep, type SequenceState } from './run-sequence.js';
import type { StepEnv } from './run-step.js';

/** Where the steps of a test or suite come from: names and line numbers for events. */
export interface Placement {
  readonly suite: string;
  readonly file: string;
  /** Line of a key path in the suite file, e.g. `['tests', 0, 'steps', 2]`. */
  readonly lineOf: (path: ReadonlyArray<string | number>) => number | undefined;
}

/**
 * Places the steps of one phase: `test` is the test they belong to (its name and its position in
 * the file's `tests`; undefined for suite init and cleanup), `path` the key path of the step list
 * in the suite file (`['tests', 1, 'cleanup', 'always']`).
 */
export function placeSteps(
  steps: readonly Step[] | undefined,
  phase: Phase,
  test: { readonly name: string; readonly index: number } | undefined,
  path: ReadonlyArray<string | number>,
  placement: Placement,
): PlacedStep[] {
  return (steps ?? []).map((step, index) => ({
    step,
    ref: {
      suite: placement.suite,
      file: placement.file,
      test: test?.name,
      testIndex: test?.index,
      phase,
      index,
      step: step.name,
      line: placement.lineOf([...path, index]),
    },
  }));
}

/**
 * Runs one test as Rocketship does: `init`, then `steps` (in order, each seeing the variables
 * saved before it, seeded with the suite init's saves), then `cleanup.on_failure` when something
 * failed and `cleanup.always`. Cleanup steps run after a failure or an interruption, go on past
 * their own errors and do not change the test's result. Emits `TestStarted` ... `TestEnded`.
 * `testIndex`, the test's position in the file's `tests`, is its identity on every event: names
 * need not be unique.
 */
export function runTest(
  test: Test,
  testIndex: number,
  seed: Readonly<Record<string, Json>>,
  env: StepEnv,
  placement: Placement,
): Observable<RunEvent> {
  return defer(() => {
    const startedAt = env.scheduler.now();
    const path = ['tests', testIndex] as const;
    const id = { name: test.name, index: testIndex };
    const main = [
      ...placeSteps(test.init, 'init', id, [...path, 'init'], placement),
      ...placeSteps(test.steps, 'steps', id, [...path, 'steps'], placement),
    ];
    let last: SequenceState = { saved: seed, failure: undefined, event: undefined };
    const cleanupEnv: StepEnv = { ...env, interrupt$: NEVER };
    const cleanup = (steps: readonly Step[] | undefined, phase: Phase, key: string) =>
      defer(() =>
        events(runSequence(placeSteps(steps, phase, id, [...path, 'cleanup', key], placement), last.saved, cleanupEnv, { continueAfterFailure: true })),
      );
    return concat(
      from<RunEvent[]>([{ _tag: 'TestStarted', suite: placement.suite, file: placement.file, test: test.name, testIndex, at: startedAt }]),
      events(runSequence(main, seed, env, { continueAfterFailure: false }).pipe(tap((s) => (last = s)))),
      defer(() => (last.failure !== undefined ? cleanup(test.cleanup?.on_failure, 'cleanup_on_failure', 'on_failure') : EMPTY)),
      cleanup(test.cleanup?.always, 'cleanup_always', 'always'),
      defer(() =>
        from<RunEvent[]>([{
          _tag: 'TestEnded',
          suite: placement.suite,
          file: placement.file,
          test: test.name,
          testIndex,
          result: testResult(last, env.scheduler.now() - startedAt),
          at: env.scheduler.now(),
        }]),
      ),
    );
  });
}

/** The events of a sequence's states. */
export function events(states: Observable<SequenceState>): Observable<RunEvent> {
  return states.pipe(
    map((s) => s.event),
    filter((e): e is RunEvent => e !== undefined),
  );
}

function testResult(state: SequenceState, durationMs: number): TestResult {
  const failure = state.failure;
  if (failure === undefined) return { _tag: 'Passed', durationMs };
  if (failure.interrupted) return { _tag: 'Interrupted', durationMs, reason: failure.message };
  return { _tag: 'Failed', durationMs, message: failure.message, step: failure.step, stepPhase: failure.ref.phase, stepIndex: failure.ref.index };
}
