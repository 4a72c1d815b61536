/**
 * Formats milliseconds the way Go prints a `time.Duration`, shortened for people reading a log.
 *
 * Under a second: whole milliseconds. Under a minute: seconds with at most one decimal. From a
 * minute on: hours, minutes and whole seconds, zero parts left out. Negative values keep their
 * sign; values that are not finite are printed as JavaScript prints them.
 *
 * @example
 * formatDuration(250)     // '250ms'
 * formatDuration(1234)    // '1.2s'
 * formatDuration(90000)   // '1m30s'
 * formatDuration(300000)  // '5m'
 * formatDuration(3723000) // '1h2m3s'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  const wholeMs = Math.round(ms);
  if (wholeMs < 1000) return `${wholeMs}ms`;
  // Round to a tenth of a second first, so 59.96s becomes 1m rather than 60s.
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${tenths / 10}s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return `${hours > 0 ? `${hours}h` : ''}${minutes > 0 ? `${minutes}m` : ''}${seconds > 0 ? `${seconds}s` : ''}`;
}
