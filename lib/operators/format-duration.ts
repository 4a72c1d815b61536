/**
 * How finely {@link formatDuration} prints a duration.
 *
 * - `'exact'`: to the nanosecond, as Go's `d.String()` does (messages: `polling timed out after 5m0s`).
 * - `'readable'`: rounded first, as Go code does with `d.Round(m)` before printing a time it
 *   measured: to the millisecond under a second, to a tenth of a second under a minute, to the
 *   second from a minute on (report lines: `passed in 1.2s`, never `1.234567s`).
 */
export type DurationPrecision = 'exact' | 'readable';

/**
 * Formats a duration in milliseconds the way Go's `time.Duration.String()` does, so messages
 * and reports read like Rocketship's own (`polling timed out after 30s`, `5m0s`, `1h0m0s`).
 *
 * Units are `h`, `m`, `s` from one second up (leading zero units are left out, inner ones kept),
 * and `ms`, `µs`, `ns` below one second. Fractions are exact to the nanosecond, trailing zeros
 * trimmed. Non-finite input gives `infinity`, `-infinity` or `NaN`. With `precision`
 * `'readable'` the duration is rounded first (see {@link DurationPrecision}), then printed the
 * same way; the default, `'exact'`, rounds nothing.
 *
 * ```ts
 * formatDuration(30_000);               // '30s'
 * formatDuration(90_000);               // '1m30s'
 * formatDuration(300_000);              // '5m0s'   (as Go prints 5 * time.Minute)
 * formatDuration(3_600_000);            // '1h0m0s'
 * formatDuration(2_400);                // '2.4s'
 * formatDuration(250);                  // '250ms'
 * formatDuration(0);                    // '0s'
 * formatDuration(1_234.5678);           // '1.2345678s'
 * formatDuration(1_234.5678, 'readable'); // '1.2s'
 * formatDuration(999.6, 'readable');    // '1s'     (never '1000ms')
 * formatDuration(59_960, 'readable');   // '1m0s'   (never '60s')
 * ```
 */
export function formatDuration(ms: number, precision: DurationPrecision = 'exact'): string {
  if (Number.isNaN(ms)) return 'NaN';
  if (!Number.isFinite(ms)) return ms > 0 ? 'infinity' : '-infinity';
  const sign = ms < 0 ? '-' : '';
  const magnitude = precision === 'readable' ? readable(Math.abs(ms)) : Math.abs(ms);
  // Whole nanoseconds, as Go counts them; exact for any duration under about 104 days.
  const ns = Math.round(magnitude * 1e6);
  if (ns === 0) return '0s';
  if (ns < NS_PER_SECOND) {
    if (ns < 1e3) return `${sign}${ns}ns`;
    if (ns < 1e6) return `${sign}${fraction(ns, 3)}µs`;
    return `${sign}${fraction(ns, 6)}ms`;
  }
  const hours = Math.floor(ns / NS_PER_HOUR);
  const minutes = Math.floor(ns / NS_PER_MINUTE) % 60;
  const seconds = fraction(ns % NS_PER_MINUTE, 9);
  const prefix = hours > 0 ? `${hours}h${minutes}m` : minutes > 0 ? `${minutes}m` : '';
  return `${sign}${prefix}${seconds}s`;
}

const NS_PER_SECOND = 1e9;
const NS_PER_MINUTE = 60 * NS_PER_SECOND;
const NS_PER_HOUR = 60 * NS_PER_MINUTE;

/**
 * `ms` (not negative) rounded to a step that suits its size: 1 ms under a second, 100 ms under
 * a minute, 1 s from there. Halves round up, as Go's `Round` rounds them away from zero.
 */
function readable(ms: number): number {
  const step = ms < 1_000 ? 1 : ms < 60_000 ? 100 : 1_000;
  return Math.round(ms / step) * step;
}

/** `value / 10^digits` in decimal, trailing zeros of the fraction trimmed (`2400000000, 9` -> `2.4`). */
function fraction(value: number, digits: number): string {
  const unit = 10 ** digits;
  const whole = Math.floor(value / unit);
  const rest = String(value % unit)
    .padStart(digits, '0')
    .replace(/0+$/, '');
  return rest === '' ? String(whole) : `${whole}.${rest}`;
}
