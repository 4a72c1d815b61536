import type { AttemptRecord, StepResult } from '../../event/run-event.js';

/**
 * How an attempt is drawn on a step's timeline:
 * - `Held`: its conditions held (a poll's winning response), or a request without conditions
 *   whose run passed;
 * - `NotYet`: a poll's response on which the conditions did not all hold (the poll went on, or
 *   ran out of time or attempts);
 * - `Transport`: no response (refused, reset, timed out, ...);
 * - `Failed`: the response that failed its run: a fail condition or the contract held on it,
 *   or a request without conditions whose run failed (its assertions, a save, a later retry).
 */
export type AttemptKind = 'Held' | 'NotYet' | 'Transport' | 'Failed';

/** One attempt placed in time: every time is on the run's clock (`at`), in ms. */
export interface TimedAttempt {
  readonly record: AttemptRecord;
  /** 1-based run of the step (its `retry` policy re-runs it; 1 without one). */
  readonly run: number;
  /** When the request was sent. */
  readonly sentAt: number;
  /** When it ended (its `AttemptMade` event). */
  readonly endedAt: number;
  readonly kind: AttemptKind;
}

/** One run of a step: a poll, or a single request. */
export interface StepRun {
  /** 1-based. */
  readonly number: number;
  /** When its first request was sent (the poll started). */
  readonly startedAt: number;
  /** When its last attempt ended. */
  readonly endedAt: number;
  /** The poll's deadline (start + `timeout`), when polling. */
  readonly deadlineAt: number | undefined;
  /** The poll's `max_attempts`, when it has one. */
  readonly maxAttempts: number | undefined;
  /**
   * The request in flight when the deadline passed, which was aborted and so has no attempt
   * record: when it was sent, and the deadline that cut it off. Known for the step's last run only.
   */
  readonly aborted: { readonly sentAt: number; readonly endedAt: number } | undefined;
}

/** A step's attempts in time, grouped in runs. */
export interface AttemptTimeline {
  readonly runs: readonly StepRun[];
  readonly attempts: readonly TimedAttempt[];
}

/**
 * Places a step's attempts in time, from what the events say: each `AttemptRecord` and the `at`
 * of its `AttemptMade` (when it ended), and the step's result.
 *
 * A run's attempts are numbered from 1, so a number that does not grow starts the next run
 * (the step's `retry`). A poll's clock starts with its first request: the run started at
 * `at - elapsedMs` of any of its attempts, and attempt `n + 1` was sent when attempt `n` ended
 * plus its `nextDelayMs` (the poll waits from the end of an attempt), which gives the exact send
 * time of every attempt, transport errors included, without any field of the record added.
 *
 * attemptTimeline([attempt(1, { elapsed: 40, next: 200 }), attempt(2, { elapsed: 280 })], [1040, 1280], passed)
 * // runs: [{ number: 1, startedAt: 1000, endedAt: 1280, ... }]
 * // attempts: [{ run: 1, sentAt: 1000, endedAt: 1040, kind: 'NotYet' }, { run: 1, sentAt: 1240, endedAt: 1280, kind: 'Held' }]
 */
export function attemptTimeline(attempts: readonly AttemptRecord[], ats: readonly number[], result: StepResult | null): AttemptTimeline {
  const runs: StepRun[] = [];
  const timed: TimedAttempt[] = [];
  // The runs' boundaries first: index of each run's first attempt.
  const starts: number[] = [];
  attempts.forEach((a, i) => {
    const previous = attempts[i - 1];
    if (previous === undefined || a.number <= previous.number) starts.push(i);
  });
  starts.forEach((first, r) => {
    const last = (starts[r + 1] ?? attempts.length) - 1;
    const head = attempts[first] as AttemptRecord;
    const startedAt = (ats[first] ?? 0) - head.elapsedMs;
    const finalRun = r === starts.length - 1;
    for (let i = first; i <= last; i++) {
      const record = attempts[i] as AttemptRecord;
      const before = i === first ? undefined : attempts[i - 1];
      const endedAt = ats[i] ?? startedAt + record.elapsedMs;
      const sentAt =
        before === undefined
          ? startedAt
          : before.nextDelayMs !== undefined
            ? startedAt + before.elapsedMs + before.nextDelayMs
            : endedAt - (record.outcome._tag === 'Response' ? record.outcome.durationMs : 0);
      timed.push({
        record,
        run: r + 1,
        sentAt: Math.min(sentAt, endedAt),
        endedAt,
        kind: kindOf(record, { lastOfRun: i === last, finalRun, result }),
      });
    }
    const tail = attempts[last] as AttemptRecord;
    const endedAt = ats[last] ?? startedAt + tail.elapsedMs;
    const deadlineAt = head.timeoutMs === undefined ? undefined : startedAt + head.timeoutMs;
    runs.push({
      number: r + 1,
      startedAt,
      endedAt,
      deadlineAt,
      maxAttempts: head.maxAttempts,
      aborted: finalRun ? abortedAttempt(tail, startedAt, deadlineAt, result) : undefined,
    });
  });
  return { runs, attempts: timed };
}

function kindOf(record: AttemptRecord, at: { lastOfRun: boolean; finalRun: boolean; result: StepResult | null }): AttemptKind {
  if (record.outcome._tag === 'TransportError') return 'Transport';
  const { result } = at;
  const decidedFailure = at.finalRun && at.lastOfRun && result?._tag === 'Failed' ? result.cause : undefined;
  if (decidedFailure?._tag === 'FailCondition' && decidedFailure.last?.number === record.number) return 'Failed';
  if (decidedFailure?._tag === 'ContractViolation' && decidedFailure.attempt === record.number) return 'Failed';
  if (record.conditions.length > 0) return record.conditions.every((c) => c._tag === 'Passed') ? 'Held' : 'NotYet';
  // A request without conditions: as its run ended. A run followed by another one failed.
  if (!at.lastOfRun) return 'NotYet';
  if (!at.finalRun) return 'Failed';
  return result === null || result._tag === 'Passed' ? 'Held' : 'Failed';
}

/** The request a timed-out poll aborted at its deadline: sent after the last wait, cut off at the deadline. */
function abortedAttempt(
  last: AttemptRecord,
  startedAt: number,
  deadlineAt: number | undefined,
  result: StepResult | null,
): StepRun['aborted'] {
  if (result?._tag !== 'Failed' || result.cause._tag !== 'PollTimedOut' || !result.cause.inFlight) return undefined;
  if (deadlineAt === undefined || last.nextDelayMs === undefined) return undefined;
  return { sentAt: Math.min(startedAt + last.elapsedMs + last.nextDelayMs, deadlineAt), endedAt: deadlineAt };
}
