import type { Json } from '../json.js';
import { writeJson } from '../json-text.js';
import type { CheckResult } from './check-result.js';

/**
 * One check result as one line of text: what was read, the matcher and its operand, what was
 * found, and the reason when there is one. The `expected` matcher reads as plain equality.
 * Used in failure messages and reports alike, so a check reads the same everywhere.
 *
 * formatCheckResult({ _tag: 'Failed', label: 'json_path .status', matcher: 'expected', expected: 'completed', actual: 'running' })
 * // 'json_path .status: expected "completed", actual "running"'
 * formatCheckResult({ _tag: 'Failed', label: 'json_path .errors', matcher: 'exists', expected: false, actual: true })
 * // 'json_path .errors exists: expected false, actual true'
 * formatCheckResult({ _tag: 'Failed', label: 'json_path .status', matcher: 'expected', expected: 'done', actual: undefined, reason: 'not JSON: Unexpected token' })
 * // 'json_path .status: expected "done", actual (none) (not JSON: Unexpected token)'
 */
export function formatCheckResult(check: CheckResult, maxValueLength = 200): string {
  const what = check.matcher === 'expected' ? check.label : `${check.label} ${check.matcher}`;
  const reason = check.reason === undefined ? '' : ` (${check.reason})`;
  return `${what}: expected ${formatJson(check.expected, maxValueLength)}, actual ${formatJson(check.actual, maxValueLength)}${reason}`;
}

/**
 * A JSON value on one line, cut at `maxLength`; `undefined` (nothing there) reads as `(none)`.
 * Only what is shown is written (see `writeJson`): any size, any depth.
 */
export function formatJson(value: Json | undefined, maxLength = 200): string {
  if (value === undefined) return '(none)';
  const { text, complete } = writeJson(value, { maxChars: maxLength });
  return complete ? text : `${text.slice(0, maxLength - 1)}…`;
}
