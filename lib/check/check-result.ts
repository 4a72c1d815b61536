import type { Json } from '../json.js';

/**
 * The outcome of one matcher of one check on one subject.
 *
 * `label` names what was read (`status_code`, `header Content-Type`, `json_path .status`);
 * `matcher` is the key (`expected`, `exists`, ...); `expected` is its operand; `actual` is what
 * was found (for `exists`: whether the value is present; for `length`: the length; for
 * `value_type`: the type name), `undefined` when nothing could be read. `reason` explains a
 * failure when `expected` and `actual` alone do not (missing path, body not JSON, type mismatch).
 *
 * { _tag: 'Failed', label: 'json_path .status', matcher: 'expected', expected: 'completed',
 *   actual: 'running' }
 */
export interface CheckResult {
  readonly _tag: 'Passed' | 'Failed';
  readonly label: string;
  readonly matcher: string;
  readonly expected: Json | undefined;
  readonly actual: Json | undefined;
  readonly reason?: string;
}
