import { defer, filter, from, map, mergeScan, Observable, of, queueScheduler, subscribeOn } from 'rxjs';
import type { Json } from '../json.js';
import type { Step } from '../dsl/index.js';
import type { RunEvent, StepRef, UnpassedStep } from '../event/run-event.js';
import type { StepResume } from '../step/plugin.js';
import { runStep, type StepEnv } from './run-step.js';

/** A step and where it sits. */
export interface PlacedStep {
  readonly step: Step;
  readonly ref: StepRef;
  /** Set when another process started this step and stopped: it continues (see `runStep`). */
  readonly resume?: StepResume | undefined;
}

/** The state threaded from step to step, with the event that produced it. */
export interface SequenceState {
  /** Variables saved so far (the seed's, then each passed step's). */
  readonly saved: Readonly<Record<string, Json>>;
  /** Set by the first step that did not pass: its name, which step it is (`ref`), and how it ended. */
  readonly failure: { readonly step: string; readonly ref: StepRef; readonly result: UnpassedStep } | undefined;
  /** The event this state came with; undefined only for the seed. */
  readonly event: RunEvent | undefined;
}

/**
 * Runs steps one after another, each seeing the variables saved before it. This is the
 * design card's `concatMap` + `scan` fused into `mergeScan(fn, seed, 1)`: with plain `scan` after
 * `concatMap`, a step would be started before the previous step's saves reached the accumulator.
 *
 * With `continueAfterFailure` false (init and steps), the steps after a failed one are reported
 * `Skipped` with the reason; with true (cleanup), every step runs whatever happened before.
 * Emits one state per event; the last one holds the final variables and the first failure.
 * `options.failure` is a failure before these steps (a resumed test's): later steps are then
 * skipped as after any failure.
 */
export function runSequence(
  steps: readonly PlacedStep[],
  seed: Readonly<Record<string, Json>>,
  env: StepEnv,
  options: { readonly continueAfterFailure: boolean; readonly failure?: SequenceState['failure'] },
): Observable<SequenceState> {
  const initial: SequenceState = { ...seedState(seed), failure: options.failure };
  return defer(() =>
    from(steps).pipe(
      mergeScan(
        (state: SequenceState, { step, ref, resume }: PlacedStep): Observable<SequenceState> => {
          if (state.failure !== undefined && !options.continueAfterFailure) {
            const reason =
              state.failure.result._tag === 'Interrupted' ? 'the run was interrupted' : `step "${state.failure.step}" did not pass`;
            return of<SequenceState>({
              ...state,
              event: { _tag: 'StepEnded', ref, result: { _tag: 'Skipped', reason }, at: env.scheduler.now() },
            }).pipe(trampoline);
          }
          return stepStates(state, { step, ref, resume }, env);
        },
        initial,
        1,
      ),
    ),
  );
}

/**
 * One step run from `state`, its events as states: `runStep(...).pipe(map(advance), trampoline)`
 * written out as one subscriber (subscribed on the queue scheduler, as `trampoline` does), on
 * every step of a run.
 */
function stepStates(state: SequenceState, { step, ref, resume }: PlacedStep, env: StepEnv): Observable<SequenceState> {
  return new Observable<SequenceState>((subscriber) => {
    subscriber.add(
      queueScheduler.schedule(() => {
        subscriber.add(
          runStep(step, ref, state.saved, env, resume).subscribe({
            next: (event) => subscriber.next(advance(state, step, event)),
            error: (error: unknown) => subscriber.error(error),
            complete: () => subscriber.complete(),
          }),
        );
      }),
    );
  });
}

/** The state before the first step: the variables given, no failure, no event. */
export function seedState(seed: Readonly<Record<string, Json>>): SequenceState {
  return { saved: seed, failure: undefined, event: undefined };
}

/** The events of a sequence's states. */
export function sequenceEvents(states: Observable<SequenceState>): Observable<RunEvent> {
  return states.pipe(
    map((s) => s.event),
    filter((e): e is RunEvent => e !== undefined),
  );
}

/**
 * Subscribes on the queue scheduler, which runs at once unless a queued task is already running,
 * and then queues behind it. Why: `mergeScan(…, 1)` buffers the steps that arrive while one
 * runs, and when that step completes it subscribes the next one from inside the completion.
 * Steps that complete synchronously (`log`, a skipped step) would each nest one level deeper,
 * and a few hundred of them after an asynchronous step overflowed the stack, which RxJS
 * swallowed: the run just stopped. Trampolined, any number of synchronous steps runs in a loop,
 * in the same order and at the same (virtual) time.
 */
const trampoline = subscribeOn<SequenceState>(queueScheduler);

/**
 * The state after `event`. Its objects are written out, not spread: this runs on every event,
 * mostly before V8 has optimized it, where a spread is a runtime call; and the saved variables
 * are copied only when a step saved some.
 */
function advance(state: SequenceState, step: Step, event: RunEvent): SequenceState {
  if (event._tag !== 'StepEnded') return { saved: state.saved, failure: state.failure, event };
  const result = event.result;
  switch (result._tag) {
    case 'Passed': {
      const saved = Object.keys(result.saved).length > 0 ? { ...state.saved, ...result.saved } : state.saved;
      return { saved, failure: state.failure, event };
    }
    case 'Skipped':
      return { saved: state.saved, failure: state.failure, event };
    case 'Interrupted':
    case 'Failed':
    case 'Errored':
      return { saved: state.saved, failure: state.failure ?? { step: step.name, ref: event.ref, result }, event };
  }
}

/**
 * The events of a sequence's states as they come, then those of `after(final)`, where `final` is
 * the last state (`seed` when there was none): what follows a sequence (cleanup, `TestEnded`, a
 * suite's tests) needs its last state.
 *
 * The same as `states$.pipe(connect((s$) => merge(sequenceEvents(s$), s$.pipe(last(null, seed), concatMap(after)))))`,
 * written out: that pipeline's dozen subscribers (a Subject, two merge states, `last`'s three
 * operators) stayed subscribed for as long as the sequence ran, for every test waiting in a poll.
 * An error of the sequence, or thrown by `after`, is the result's error.
 *
 * eventsThen(runSequence(steps, {}, env, options), seedState({}), (final) => of(testEnded(final)))
 * // StepStarted, ..., StepEnded, ..., then TestEnded
 */
export function eventsThen(
  states$: Observable<SequenceState>,
  seed: SequenceState,
  after: (final: SequenceState) => Observable<RunEvent>,
): Observable<RunEvent> {
  return new Observable<RunEvent>((subscriber) => {
    let final = seed;
    return states$.subscribe({
      next: (state) => {
        final = state;
        if (state.event !== undefined) subscriber.next(state.event);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        let then$: Observable<RunEvent>;
        try {
          then$ = after(final);
        } catch (error) {
          subscriber.error(error);
          return;
        }
        subscriber.add(then$.subscribe(subscriber));
      },
    });
  });
}
