import type { Json } from '../json.js';
import type { Test } from '../dsl/index.js';
import type { Phase, ResumeRecord, RunEvent } from '../event/run-event.js';
import type { SequenceState } from '../run/run-sequence.js';
import type { TestResume } from '../run/run-test.js';

/**
 * What a queue worker has done of a test, written to the job after every step and every poll
 * attempt (with the events that led to it), so that another worker can continue the test if
 * this one stops. Times are on the workers' clock (epoch ms): the deadline of a poll resumed
 * elsewhere is where it was.
 */
export interface Checkpoint {
  /** The worker that wrote it (`host/pid`). */
  readonly worker: string;
  /** How many of the test's events were published (the next one's sequence number). */
  readonly seq: number;
  /** When the test started; undefined until its `TestStarted`. */
  readonly startedAt: number | undefined;
  /** Steps that ended, in the order they run (see `TestResume.stepsEnded`). */
  readonly stepsEnded: number;
  /** Variables saved by the steps that ended, the suite init's included. */
  readonly saved: Readonly<Record<string, Json>>;
  readonly failure: SequenceState['failure'];
  /** The step in progress, once it started. */
  readonly step: StepInProgress | undefined;
  /** The resume that gave this worker the test, if one did. */
  readonly resumed: ResumeRecord | undefined;
}

/** A step in progress, and its poll (the last attempt that ended). */
export interface StepInProgress {
  readonly startedAt: number;
  /**
   * The run of the step's `retry` policy in progress (1 for the first): a request numbered 1
   * after others starts a run. A step that sends no request shows none: its runs are not counted.
   */
  readonly runs: number;
  /** Requests the step made, over all its runs. */
  readonly requests: number;
  readonly poll:
    | {
        /** Attempts made (ended). */
        readonly attempts: number;
        /** When the poll's first attempt was sent: its deadline counts from it. */
        readonly firstAttemptAt: number;
        /** When the next attempt is due; undefined when the last one ended the poll. */
        readonly nextSendAt: number | undefined;
      }
    | undefined;
}

/** The checkpoint of a test not started yet, seeded with the suite init's saves. */
export function initialCheckpoint(worker: string, saved: Readonly<Record<string, Json>>): Checkpoint {
  return { worker, seq: 0, startedAt: undefined, stepsEnded: 0, saved, failure: undefined, step: undefined, resumed: undefined };
}

/**
 * The checkpoint after one more event of the test (the events as the runner emits them, before
 * masking: saved values are real). A pure fold: `events.reduce(advanceCheckpoint, initial)`.
 */
export function advanceCheckpoint(checkpoint: Checkpoint, event: RunEvent): Checkpoint {
  const next = { ...checkpoint, seq: checkpoint.seq + 1 };
  switch (event._tag) {
    case 'TestStarted':
      return { ...next, startedAt: event.at };
    case 'StepStarted':
      return { ...next, step: { startedAt: event.at, runs: 1, requests: 0, poll: undefined } };
    case 'AttemptMade': {
      const { attempt } = event;
      if (next.step === undefined) return next;
      const counted = {
        ...next.step,
        runs: attempt.number === 1 && next.step.requests > 0 ? next.step.runs + 1 : next.step.runs,
        requests: next.step.requests + 1,
      };
      // A request that is not part of a poll (no deadline, no next wait) leaves no poll to resume.
      if (attempt.timeoutMs === undefined && attempt.nextDelayMs === undefined && attempt.maxAttempts === undefined)
        return { ...next, step: counted };
      const poll = {
        attempts: attempt.number,
        firstAttemptAt: event.at - attempt.elapsedMs,
        nextSendAt: attempt.nextDelayMs === undefined ? undefined : event.at + attempt.nextDelayMs,
      };
      return { ...next, step: { ...counted, poll } };
    }
    case 'StepEnded': {
      const result = event.result;
      const main = event.ref.phase === 'init' || event.ref.phase === 'steps';
      return {
        ...next,
        stepsEnded: checkpoint.stepsEnded + 1,
        step: undefined,
        saved: result._tag === 'Passed' ? { ...checkpoint.saved, ...result.saved } : checkpoint.saved,
        failure:
          checkpoint.failure === undefined && main && result._tag !== 'Passed' && result._tag !== 'Skipped'
            ? { step: event.ref.step, ref: event.ref, result }
            : checkpoint.failure,
      };
    }
    default:
      return next;
  }
}

/**
 * Where a test continues from a checkpoint, at `now`: the runner's {@link TestResume}, with the
 * poll in progress given its elapsed time and what is left of its wait, and the step's retry
 * runs and requests so far. `undefined` when the
 * test had not started (it runs from the beginning).
 */
export function resumeFrom(checkpoint: Checkpoint, now: number): TestResume | undefined {
  const { startedAt, step } = checkpoint;
  if (startedAt === undefined) return undefined;
  const poll = step?.poll;
  return {
    startedAt,
    stepsEnded: checkpoint.stepsEnded,
    saved: checkpoint.saved,
    failure: checkpoint.failure,
    ...(step === undefined
      ? {}
      : {
          step: {
            startedAt: step.startedAt,
            retry: { runs: step.runs, requests: step.requests },
            ...(poll === undefined
              ? {}
              : {
                  poll: {
                    attempts: poll.attempts,
                    elapsedMs: Math.max(0, now - poll.firstAttemptAt),
                    nextDelayMs: poll.nextSendAt === undefined ? 0 : Math.max(0, poll.nextSendAt - now),
                  },
                }),
          },
        }),
  };
}

/** What the events of a resumed test say of the resume: from which worker, at which step and attempt. */
export function resumeRecord(checkpoint: Checkpoint, test: Test): ResumeRecord {
  const at = stepAt(test, checkpoint.stepsEnded, checkpoint.failure !== undefined);
  return {
    fromWorker: checkpoint.worker,
    atStep: at?.name ?? '',
    stepPhase: at?.phase ?? 'steps',
    stepIndex: at?.index ?? 0,
    attempt: checkpoint.step?.poll?.attempts ?? 0,
  };
}

/** The step at position `ended` in the order a test's steps run. */
function stepAt(test: Test, ended: number, failed: boolean): { name: string; phase: Phase; index: number } | undefined {
  const lists: [Phase, readonly { readonly name: string }[] | undefined][] = [
    ['init', test.init],
    ['steps', test.steps],
    ['cleanup_on_failure', failed ? test.cleanup?.on_failure : undefined],
    ['cleanup_always', test.cleanup?.always],
  ];
  let left = ended;
  for (const [phase, steps] of lists) {
    const n = steps?.length ?? 0;
    if (left < n) return { name: steps?.[left]?.name ?? '', phase, index: left };
    left -= n;
  }
  return undefined;
}
