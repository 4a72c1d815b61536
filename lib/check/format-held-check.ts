import type { CheckResult } from './check-result.js';
import { formatJson } from './format-check-result.js';

/**
 * A check that holds, as one short phrase that shows the value it matched: what a fail condition
 * found when it stopped a poll. The `expected` matcher reads as equality with the value found,
 * `exists` as a statement, any other matcher as its name and operand with the value found.
 * Values are cut at `maxValueLength` characters.
 *
 * formatHeldCheck({ _tag: 'Passed', label: 'json_path .status', matcher: 'expected', expected: 'failed', actual: 'failed' })
 * // 'json_path .status == "failed"'
 * formatHeldCheck({ _tag: 'Passed', label: 'json_path .error', matcher: 'exists', expected: true, actual: true })
 * // 'json_path .error exists'
 * formatHeldCheck({ _tag: 'Passed', label: 'status_code', matcher: 'one_of', expected: [500, 503], actual: 503 })
 * // 'status_code one_of [500,503] (actual 503)'
 */
export function formatHeldCheck(check: CheckResult, maxValueLength = 80): string {
  switch (check.matcher) {
    case 'expected':
      return `${check.label} == ${formatJson(check.actual, maxValueLength)}`;
    case 'exists':
      return check.expected === false ? `${check.label} does not exist` : `${check.label} exists`;
    default:
      return `${check.label} ${check.matcher} ${formatJson(check.expected, maxValueLength)} (actual ${formatJson(check.actual, maxValueLength)})`;
  }
}
