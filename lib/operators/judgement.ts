/**
 * What a poll's `judge` says of an attempt's value: {@link Done}, {@link Failed} or
 * {@link NotYet}. Make them with {@link done}, {@link failed} and {@link notYet}.
 *
 * ```ts
 * const judge = (job: { status: string; error?: string }): Judgement =>
 *   job.status === 'completed' ? done
 *   : job.status === 'failed' ? failed(`job failed: ${job.error}`)
 *   : notYet();
 * judge({ status: 'running' });                      // { _tag: 'NotYet' }
 * judge({ status: 'failed', error: 'out of disk' }); // { _tag: 'Failed', reason: 'job failed: out of disk' }
 * ```
 */
export type Judgement = Done | Failed | NotYet;

/** The value is what the poll waits for: the poll completes after this attempt. */
export interface Done {
  readonly _tag: 'Done';
}

/** The value shows the wait is hopeless (a job that failed): the poll errors at once. */
export interface Failed {
  readonly _tag: 'Failed';
  /** Why, for the error's message: `polling failed: <reason>`. */
  readonly reason: string;
}

/** Not yet: the poll waits, then makes another attempt. */
export interface NotYet {
  readonly _tag: 'NotYet';
  /**
   * A wait in ms the value asks for (for HTTP: `Retry-After` on a 429 or 503). It can lengthen
   * the poll's next wait, never shorten it; see `PollConfig`. Absent: the poll's own wait.
   */
  readonly retryAfterMs?: number;
}

/** The {@link Done} judgement. */
export const done: Done = { _tag: 'Done' };

/** A {@link Failed} judgement: `failed('job failed: out of disk')`. */
export function failed(reason: string): Failed {
  return { _tag: 'Failed', reason };
}

/** A {@link NotYet} judgement, asking for a wait of at least `retryAfterMs` when given: `notYet()`, `notYet(2000)`. */
export function notYet(retryAfterMs?: number): NotYet {
  // One shared object for the common case: a poll judges every attempt, and most are "not yet".
  return retryAfterMs === undefined ? NOT_YET : { _tag: 'NotYet', retryAfterMs };
}

const NOT_YET: NotYet = { _tag: 'NotYet' };
