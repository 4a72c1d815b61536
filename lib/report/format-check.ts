import { formatCheckResult } from '../check/format-check-result.js';
import type { CheckRecord } from '../event/run-event.js';
import { oneLine } from './printable.js';
import type { Style } from './style.js';

/**
 * One check (a poll condition or an assertion) as one line: a mark, then the check as every
 * message words it (see `formatCheckResult`).
 *
 * @example
 * formatCheck({ _tag: 'Failed', label: 'json_path .status', matcher: 'expected',
 *   expected: 'completed', actual: 'running' }, plainStyle)
 * // '✗ json_path .status: expected "completed", actual "running"'
 */
export function formatCheck(check: CheckRecord, style: Style): string {
  const mark = check._tag === 'Passed' ? style.passed('✓') : style.failed('✗');
  return `${mark} ${oneLine(formatCheckResult(check))}`;
}
