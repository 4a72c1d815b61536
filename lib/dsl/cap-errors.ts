import type { DslError } from './dsl-error.js';

/**
 * The most errors reported for one file. A single broken line can give tens of thousands of
 * YAML errors (100 KB of `"` is 51,200), each printed with its source line: past this many,
 * more errors say nothing new.
 */
export const MAX_ERRORS = 100;

/**
 * Keeps the first {@link MAX_ERRORS} errors (already in source order); when there are more, the
 * last one kept says how many follow.
 *
 * capErrors(errors)
 * // errors, or the first 100, the last one's message ending "; 51100 more errors follow, not shown (only the first 100 are)"
 */
export function capErrors(errors: readonly DslError[]): DslError[] {
  if (errors.length <= MAX_ERRORS) return [...errors];
  const kept = errors.slice(0, MAX_ERRORS);
  const last = kept[MAX_ERRORS - 1] as DslError;
  kept[MAX_ERRORS - 1] = {
    ...last,
    message: `${last.message}; ${errors.length - MAX_ERRORS} more errors follow, not shown (only the first ${MAX_ERRORS} are)`,
  };
  return kept;
}
