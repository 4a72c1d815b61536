import type { Json } from '../json.js';
import type { CheckRecord } from '../run/run-event.js';
import { oneLine } from './printable.js';
import type { Style } from './style.js';

/**
 * One check (a poll condition or an assertion) as one line: a mark, what was checked, the
 * expected value next to the actual one, and the reason when there is one.
 *
 * @example
 * formatCheck({ _tag: 'Failed', label: 'json_path .status', matcher: 'expected',
 *   expected: 'completed', actual: 'running' }, plainStyle)
 * // '✗ json_path .status expected: expected "completed", actual "running"'
 */
export function formatCheck(check: CheckRecord, style: Style): string {
  const mark = check._tag === 'Passed' ? style.passed('✓') : style.failed('✗');
  const reason = check.reason === undefined ? '' : ` (${oneLine(check.reason)})`;
  return `${mark} ${oneLine(check.label)} ${oneLine(check.matcher)}: expected ${formatValue(check.expected)}, actual ${formatValue(check.actual)}${reason}`;
}

/** A JSON value on one short line; `undefined` (nothing there) reads as `(none)`. */
export function formatValue(value: Json | undefined, maxLength = 200): string {
  if (value === undefined) return '(none)';
  const text = oneLine(JSON.stringify(value));
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
