/** How the wait between attempts grows. All durations in milliseconds. */
export interface BackoffConfig {
  /** The wait after attempt 1, in ms. Must be >= 0. */
  readonly interval: number;
  /**
   * The factor each further wait is multiplied by: the wait after attempt k is
   * `interval * coefficient^(k-1)`. Default 1 (a constant interval).
   */
  readonly coefficient?: number | undefined;
  /** A cap on the wait in ms, applied after growth and after jitter. Default: no cap. */
  readonly maxInterval?: number | undefined;
  /**
   * Random spread, as a fraction between 0 and 1 of the wait: the wait is drawn uniformly from
   * `[w * (1 - jitter), w * (1 + jitter)]`, where `w` is the grown (and capped) wait. A symmetric
   * spread keeps the average schedule where the coefficient puts it. Default 0 (no spread).
   * Values outside 0..1 are clamped.
   */
  readonly jitter?: number | undefined;
  /**
   * The source of randomness for `jitter`, returning a number in `[0, 1)` like `Math.random`
   * (the default). Pass a fixed sequence to make jittered waits reproducible.
   */
  readonly random?: (() => number) | undefined;
}

/**
 * The wait in milliseconds after attempt `attempt` (1-based) before the next one.
 *
 * In order: grow (`interval * coefficient^(attempt-1)`), cap at `maxInterval`, spread by
 * `jitter` (`± jitter` of the capped wait, drawn with `random`), cap at `maxInterval` again
 * (so the cap is a hard limit), round to a whole millisecond (which also removes floating point
 * noise such as `2000 * 1.2 ** 3 === 3455.9999999999995`). Never negative.
 *
 * ```ts
 * [1, 2, 3, 4, 5].map((k) => backoffDelay(k, { interval: 2000, coefficient: 1.2 }));
 * // [2000, 2400, 2880, 3456, 4147]
 * [1, 2, 3, 4].map((k) => backoffDelay(k, { interval: 1000, coefficient: 2, maxInterval: 5000 }));
 * // [1000, 2000, 4000, 5000]
 * backoffDelay(1, { interval: 1000, jitter: 0.1, random: () => 0 });   // 900
 * backoffDelay(1, { interval: 1000, jitter: 0.1, random: () => 0.5 }); // 1000
 * ```
 */
export function backoffDelay(attempt: number, config: BackoffConfig): number {
  const { interval, coefficient = 1, maxInterval = Infinity, jitter = 0, random = Math.random } = config;
  const k = Math.max(1, Math.floor(attempt));
  const grown = Math.min(interval * coefficient ** (k - 1), maxInterval);
  const spread = clamp(jitter, 0, 1);
  // Draw only when jitter is on, so a caller's random sequence is not consumed for nothing.
  const jittered = spread === 0 ? grown : grown * (1 + spread * (2 * clamp(random(), 0, 1) - 1));
  return Math.max(0, Math.round(Math.min(jittered, maxInterval)));
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
