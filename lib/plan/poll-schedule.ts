import { backoffDelay, type BackoffConfig } from '../operators/backoff.js';

/** Options of {@link pollSchedule}: a poll's settings, as `poll` takes them. Durations in ms. */
export interface PollScheduleConfig {
  /** The wait after attempt 1, in ms (`polling.interval`). */
  readonly interval: number;
  /** The deadline of the whole poll, from the first request, in ms (`polling.timeout`). Greater than 0. */
  readonly timeout: number;
  /** The most requests, the first included (`polling.max_attempts`). Default: only the timeout limits. */
  readonly maxAttempts?: number | undefined;
  /** Growth of each wait (`polling.backoff_coefficient`). Default 1. */
  readonly backoffCoefficient?: number | undefined;
  /** A cap on the grown wait, in ms (`polling.max_interval`). Default: none. */
  readonly maxInterval?: number | undefined;
  /** Random spread of each wait, a fraction 0..1 (`polling.jitter`). Default 0. */
  readonly jitter?: number | undefined;
  /** How long one request may take, in ms (the step's `timeout`, else the HTTP client's 30 s): for the worst case. */
  readonly requestTimeoutMs: number;
  /** The most send times listed in `sendTimesMs`. Default {@link MAX_LISTED_ATTEMPTS}. */
  readonly maxListed?: number | undefined;
}

/** How many send times {@link pollSchedule} lists by default: 1,000. */
export const MAX_LISTED_ATTEMPTS = 1_000;

/**
 * When a poll that never succeeds sends its requests, and how long it can take at worst. See
 * {@link pollSchedule} for the assumptions behind each number.
 */
export interface PollSchedule {
  /**
   * The requests sent when every response arrives at once and none ends the poll; `undefined`
   * when nothing bounds them (waits that round to 0 ms and no `max_attempts`).
   */
  readonly attempts: number | undefined;
  /** The send time of attempt 1, 2, ... in ms from the first request (attempt 1 at 0), at most `maxListed` of them. */
  readonly sendTimesMs: readonly number[];
  /** The send time of the last attempt, in ms; `undefined` with `attempts`. */
  readonly lastSendMs: number | undefined;
  /** What ends a poll whose conditions never hold: the cap (`max_attempts`) or the deadline (`timeout`). */
  readonly endsBy: 'max_attempts' | 'timeout';
  /**
   * `max_attempts` that can never be reached inside `timeout`, even with the shortest waits
   * (jitter at its low end) and instant responses: the cap is dead. `reachable` is the most
   * attempts that fit.
   */
  readonly deadCap: { readonly maxAttempts: number; readonly reachable: number } | undefined;
  /**
   * The longest the poll can take, in ms: the earlier of the deadline and the end of the last
   * attempt when every request takes its full `requestTimeoutMs` and every wait is at its longest
   * (jitter at its high end). Without `max_attempts`, the deadline. A `Retry-After` longer than
   * the poll's own wait can only bring the end nearer to the deadline, never past it.
   */
  readonly worstCaseMs: number;
}

/**
 * The schedule of a poll that never succeeds, computed with the poll's own wait formula
 * (`backoffDelay`, the one `poll` waits by) and its rules: attempt 1 at 0; the wait after attempt
 * k is `interval * backoff_coefficient^(k-1)` capped at `max_interval`, counted from the end of
 * attempt k; a wait that would end at or after the deadline is not waited; `max_attempts` counts
 * every request. Send times assume responses arrive at once and no jitter (the middle of its
 * spread); the dead cap assumes the shortest waits; the worst case the slowest requests and the
 * longest waits (see {@link PollSchedule}).
 *
 * Long schedules cost little: runs of equal waits (a constant interval, or waits capped at
 * `max_interval`) are counted in one step, so a 24-day timeout polled every millisecond is as
 * quick as a short one.
 *
 * pollSchedule({ interval: 2000, timeout: 10_000, backoffCoefficient: 1.5, requestTimeoutMs: 30_000 })
 * // { attempts: 4, sendTimesMs: [0, 2000, 5000, 9500], lastSendMs: 9500, endsBy: 'timeout',
 * //   deadCap: undefined, worstCaseMs: 10000 }
 * pollSchedule({ interval: 1000, timeout: 5000, maxAttempts: 10, requestTimeoutMs: 30_000 })
 * // { attempts: 5, ..., endsBy: 'timeout', deadCap: { maxAttempts: 10, reachable: 5 }, worstCaseMs: 5000 }
 */
export function pollSchedule(config: PollScheduleConfig): PollSchedule {
  const { interval, timeout, maxAttempts } = config;
  const growth: BackoffConfig = {
    interval,
    ...(config.backoffCoefficient === undefined ? {} : { coefficient: config.backoffCoefficient }),
    ...(config.maxInterval === undefined ? {} : { maxInterval: config.maxInterval }),
  };
  const jitter = config.jitter ?? 0;
  const nominal = (k: number): number => backoffDelay(k, growth);
  // The ends of the jitter's spread: `random` at 0 draws the shortest wait, at 1 the longest.
  const shortest = (k: number): number => backoffDelay(k, { ...growth, jitter, random: () => 0 });
  const longest = (k: number): number => backoffDelay(k, { ...growth, jitter, random: () => 1 });
  const cap = maxAttempts ?? Infinity;

  const planned = walk(nominal, timeout, cap, config.maxListed ?? MAX_LISTED_ATTEMPTS);
  const reachable = jitter === 0 ? planned : walk(shortest, timeout, cap, 0);
  const deadCap =
    maxAttempts !== undefined && reachable.attempts !== undefined && reachable.attempts < maxAttempts
      ? { maxAttempts, reachable: reachable.attempts }
      : undefined;
  // Every request taking its full timeout, every wait its longest: the poll's longest run to its last attempt.
  const slowest =
    maxAttempts === undefined
      ? Infinity
      : maxAttempts * config.requestTimeoutMs + (walk(longest, Infinity, maxAttempts, 0).lastSendMs ?? 0);
  return {
    attempts: planned.attempts,
    sendTimesMs: planned.sendTimesMs,
    lastSendMs: planned.lastSendMs,
    endsBy: planned.attempts !== undefined && planned.attempts === maxAttempts ? 'max_attempts' : 'timeout',
    deadCap,
    worstCaseMs: Math.min(timeout, slowest),
  };
}

/** The attempts a poll sends with the waits `waitAfter(k)` and instant responses, before `deadline` and within `cap`. */
interface Walked {
  readonly attempts: number | undefined;
  readonly sendTimesMs: number[];
  readonly lastSendMs: number | undefined;
}

/** The highest attempt number {@link walk} looks at: far beyond any poll that can run, exact in a double. */
const MAX_ATTEMPT_NUMBER = 2 ** 50;

/**
 * Walks the schedule run by run of equal waits: within a run of waits `w` starting at time `s`,
 * the attempts that fit before the deadline are counted at once (`s + m * w < deadline`).
 * `waitAfter` must not decrease (`backoffDelay` with a coefficient >= 1 never does).
 */
function walk(waitAfter: (attempt: number) => number, deadline: number, cap: number, maxListed: number): Walked {
  const times: number[] = maxListed > 0 ? [0] : [];
  let sent = 1; // attempt 1, at 0: the deadline is after it (a timeout is greater than 0)
  let at = 0;
  const last = Math.min(cap, MAX_ATTEMPT_NUMBER);
  while (sent < last) {
    const wait = waitAfter(sent);
    // Attempts sent..end are each followed by the same wait (none after the last one allowed).
    const end = lastEqual(waitAfter, sent, wait, last - 1);
    const run = end - sent + 1;
    // Waits of 0 ms forever, and no cap: requests go out as fast as responses come, until the deadline.
    if (wait === 0 && end === MAX_ATTEMPT_NUMBER - 1) {
      return { attempts: undefined, sendTimesMs: fill(times, at, wait, maxListed, maxListed), lastSendMs: undefined };
    }
    // The most further attempts m with at + m * wait < deadline.
    const room = wait === 0 || !Number.isFinite(deadline) ? Infinity : Math.max(0, Math.ceil((deadline - at) / wait) - 1);
    const fits = Math.min(run, room);
    fill(times, at, wait, fits, maxListed);
    at += fits * wait;
    sent += fits;
    if (fits < run) break; // the deadline came first
  }
  return { attempts: sent, sendTimesMs: times, lastSendMs: at };
}

/** Appends the send times `from + w, from + 2w, ...` (`count` of them), while fewer than `maxListed` are listed. */
function fill(times: number[], from: number, wait: number, count: number, maxListed: number): number[] {
  for (let m = 1; m <= count && times.length < maxListed; m += 1) times.push(from + m * wait);
  return times;
}

/** The last attempt number `j` in `from..max` with `waitAfter(j) === wait`, given `waitAfter(from) === wait` and no decrease. */
function lastEqual(waitAfter: (attempt: number) => number, from: number, wait: number, max: number): number {
  let low = from;
  let high = max + 1;
  // Gallop: 1, 2, 4, ... attempts on, until the wait changes or `max` is passed.
  for (let step = 1; ; step *= 2) {
    const probe = low + step;
    if (probe > max || waitAfter(probe) !== wait) {
      high = Math.min(probe, max + 1);
      break;
    }
    low = probe;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (waitAfter(middle) === wait) low = middle;
    else high = middle;
  }
  return low;
}
