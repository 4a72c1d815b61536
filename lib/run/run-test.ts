import { concat, defer, EMPTY, NEVER, Observable, of } from 'rxjs';
import type { StepResume } from '../step/plugin.js';
import type { Json } from '../json.js';
import type { Step, Test } from '../dsl/index.js';
import type { Phase, RunEvent, TestRef, TestResult } from '../event/run-event.js';
import { eventsThen, runSequence, seedState, sequenceEvents, type PlacedStep, type SequenceState } from './run-sequence.js';
import type { StepEnv } from './run-step.js';

/** Where the steps of a test or suite come from: names and line numbers for events. */
export interface Placement {
  readonly suite: string;
  readonly file: string;
  /** Line of a key path in the suite file, e.g. `['tests', 0, 'steps', 2]`. */
  readonly lineOf: (path: ReadonlyArray<string | number>) => number | undefined;
}

/** What {@link placeSteps} places: one phase's steps, and where they sit. */
export interface StepsToPlace {
  readonly steps: readonly Step[] | undefined;
  readonly phase: Phase;
  /** The test they belong to (its name, its position in the file's `tests`); undefined for suite init and cleanup. */
  readonly test: { readonly name: string; readonly index: number } | undefined;
  /** The key path of the step list in the suite file, e.g. `['tests', 1, 'cleanup', 'always']`. */
  readonly path: ReadonlyArray<string | number>;
  readonly placement: Placement;
}

/** Gives each step of one phase its {@link StepRef}: suite, test, phase, index and line. */
export function placeSteps({ steps, phase, test, path, placement }: StepsToPlace): PlacedStep[] {
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
 * Where a test that another process was running, and that stopped (a queue worker killed),
 * continues: what its steps had done by then. See {@link runTest}.
 */
export interface TestResume {
  /** When the test started (its `TestStarted`), on the scheduler's clock: its duration counts from it. */
  readonly startedAt: number;
  /**
   * How many of its steps had ended (one `StepEnded` each), counted in the order they run:
   * `init`, `steps`, then `cleanup.on_failure` (only after a failure) and `cleanup.always`.
   */
  readonly stepsEnded: number;
  /** The variables saved by then, the seed's included. */
  readonly saved: Readonly<Record<string, Json>>;
  /** The first `init` or `steps` step that did not pass, if one had not. */
  readonly failure: SequenceState['failure'];
  /** The next step, when it had started (a poll in progress): it continues instead of starting again. */
  readonly step?: StepResume | undefined;
}

/**
 * Runs one test as Rocketship does: `init`, then `steps` (in order, each seeing the variables
 * saved before it, seeded with the suite init's saves), then `cleanup.on_failure` when something
 * failed and `cleanup.always`. Cleanup steps run after a failure or an interruption, go on past
 * their own errors and do not change the test's result. Emits `TestStarted` ... `TestEnded`.
 * `testIndex`, the test's position in the file's `tests`, is its identity on every event: names
 * need not be unique.
 *
 * The last state of the main steps (the variables they saved, their first failure) is a value
 * that feeds the cleanup and `TestEnded`: the sequence's events go out as they come, and its last
 * state starts what follows (`eventsThen`).
 *
 * With `resume`, the test continues where another process left it (see {@link TestResume}):
 * no `TestStarted` (it was emitted then), the steps that ended are not run again, the step in
 * progress continues, and what follows is as it would have been.
 */
export function runTest(
  test: Test,
  testIndex: number,
  seed: Readonly<Record<string, Json>>,
  env: StepEnv,
  placement: Placement,
  resume?: TestResume,
): Observable<RunEvent> {
  return defer(() => {
    const startedAt = resume?.startedAt ?? env.scheduler.now();
    const id = { name: test.name, index: testIndex };
    const ref: TestRef = { suite: placement.suite, file: placement.file, test: test.name, testIndex };
    const place = (steps: readonly Step[] | undefined, phase: Phase, ...key: string[]) =>
      placeSteps({ steps, phase, test: id, path: ['tests', testIndex, ...key], placement });
    // `concat` makes an array of the exact length (a spread into `[]` grows one, as `push` does, to
    // 17 slots), and this one is held for as long as the test runs.
    const placed = place(test.init, 'init', 'init').concat(place(test.steps, 'steps', 'steps'));
    // Steps that ended before a resume are not run again; the one in progress continues.
    const ended = resume?.stepsEnded ?? 0;
    const main = continueAt(placed, ended, resume?.step);
    const cleanupEnv: StepEnv = { ...env, interrupt$: NEVER };
    const cleanup = (steps: PlacedStep[], saved: Readonly<Record<string, Json>>) =>
      steps.length === 0 ? EMPTY : sequenceEvents(runSequence(steps, saved, cleanupEnv, { continueAfterFailure: true }));
    // The cleanup lists in the order they run, less the steps that ended before a resume.
    const cleanups = (final: SequenceState): PlacedStep[][] => {
      const lists = [
        final.failure === undefined ? [] : place(test.cleanup?.on_failure, 'cleanup_on_failure', 'cleanup', 'on_failure'),
        place(test.cleanup?.always, 'cleanup_always', 'cleanup', 'always'),
      ];
      const skip = Math.max(0, ended - placed.length);
      const [first = [], second = []] = lists;
      const resumeFirst = ended >= placed.length ? resume?.step : undefined;
      return skip < first.length
        ? [continueAt(first, skip, resumeFirst), second]
        : [[], continueAt(second, skip - first.length, resumeFirst)];
    };
    const testEnded = (final: SequenceState): RunEvent => ({
      _tag: 'TestEnded',
      ref,
      result: testResult(final, env.scheduler.now() - startedAt),
      at: env.scheduler.now(),
    });
    const mainSeed = resume?.saved ?? seed;
    const seedFailure = resume?.failure;
    const main$ = eventsThen(
      runSequence(main, mainSeed, env, { continueAfterFailure: false, failure: seedFailure }),
      { ...seedState(mainSeed), failure: seedFailure },
      (final) => {
        const [onFailure = [], always = []] = cleanups(final);
        return concat(
          cleanup(onFailure, final.saved),
          cleanup(always, final.saved),
          defer(() => of(testEnded(final))),
        );
      },
    );
    if (resume !== undefined) return main$;
    // `concat(of(TestStarted), main$)`, without a merge state kept for the whole test.
    const started: RunEvent = { _tag: 'TestStarted', ref, at: startedAt };
    return new Observable<RunEvent>((subscriber) => {
      subscriber.next(started);
      return subscriber.closed ? undefined : main$.subscribe(subscriber);
    });
  });
}

/** `steps` less the first `ended`, the first of the rest continuing with `resume`. */
function continueAt(steps: readonly PlacedStep[], ended: number, resume: StepResume | undefined): PlacedStep[] {
  const rest = steps.slice(ended);
  const first = rest[0];
  return first === undefined || resume === undefined ? rest : [{ ...first, resume }, ...rest.slice(1)];
}

function testResult(state: SequenceState, durationMs: number): TestResult {
  const failure = state.failure;
  if (failure === undefined) return { _tag: 'Passed', durationMs };
  const result = failure.result;
  if (result._tag === 'Interrupted') return { _tag: 'Interrupted', durationMs, reason: result.reason };
  return {
    _tag: 'Failed',
    durationMs,
    cause: result.cause,
    step: failure.step,
    stepPhase: failure.ref.phase,
    stepIndex: failure.ref.index,
  };
}
