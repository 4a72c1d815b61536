/**
 * Timing of one poll as the server saw it. Our `poll` and the floor wait `scheduledWait(k)`
 * after the end of attempt k before sending attempt k+1.
 */
export interface PollTiming {
  /** Arrival of attempt k+1 minus arrival of attempt k, in ms. */
  readonly gaps: readonly number[];
  /** Each gap minus the scheduled wait: the time the gap spent outside the wait (request, response, overhead). */
  readonly extras: readonly number[];
  /**
   * Lateness of attempts 2..n: arrival minus the time it was due, that is the end of the previous
   * response (when the server finished writing it) plus the scheduled wait.
   */
  readonly lateness: readonly number[];
}

/** The wait after attempt `k` (1-based): `round(interval * coefficient^(k-1))`, as `backoffDelay`. */
export function scheduledWait(k: number, intervalMs: number, coefficient: number): number {
  return Math.round(intervalMs * coefficient ** (k - 1));
}

/** `records`: `[arrivedMs, finishedMs]` per attempt, in order. */
export function pollTiming(records: ReadonlyArray<readonly [number, number]>, intervalMs: number, coefficient: number): PollTiming {
  const gaps: number[] = [];
  const extras: number[] = [];
  const lateness: number[] = [];
  for (let k = 1; k < records.length; k++) {
    const [prevArrived, prevFinished] = records[k - 1] as readonly [number, number];
    const [arrived] = records[k] as readonly [number, number];
    const wait = scheduledWait(k, intervalMs, coefficient);
    gaps.push(arrived - prevArrived);
    extras.push(arrived - prevArrived - wait);
    lateness.push(arrived - (prevFinished + wait));
  }
  return { gaps, extras, lateness };
}
